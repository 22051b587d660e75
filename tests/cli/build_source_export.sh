#!/bin/bash
# wm build exports what git would: a submodule whose commit is not in the local repository fails
# the build with what to run (never a build with missing files); once it is there, its files are
# in the slug; export-ignore and .slugignore leave files out; a symlink leaving the stack warns.
set -euo pipefail
: "${WM:?}" "${WM_SOURCE_DIR:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$WM_SOURCE_DIR/tests/support/testlib.sh"
export WM_HOME="$T/state" GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com \
       GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com
git init -q "$T/lib" && echo "shared code" > "$T/lib/shared.txt" && git -C "$T/lib" add -A &&
    git -C "$T/lib" commit -qm lib
cp -r "$WM_SOURCE_DIR/examples/procfile" "$T/repo" && cd "$T/repo"
git init -q . && git -c protocol.file.allow=always submodule add -q ../lib vendor/lib
mkdir docs && echo "not for the slug" > docs/guide.md && echo "docs export-ignore" > .gitattributes
printf 'fixtures/\n' > .slugignore && mkdir fixtures && echo big > fixtures/data.bin
ln -s ../outside.txt up.txt
git add -A && git commit -qm "app with a submodule"

git clone -q "$T/repo" "$T/clone" && cd "$T/clone"
rc=0; "$WM" build >/dev/null 2>"$T/err" || rc=$?
expect_eq "$rc" "1" "a missing submodule commit fails the build"
expect_eq "$(tail -n1 "$T/err")" "wm: error: building stack app: submodule vendor/lib needs commit $(git rev-parse --short=7 HEAD:vendor/lib), which is not in the local repository; run \`git submodule update --init --recursive\` and try again" "the message says what to run"

git -c protocol.file.allow=always submodule update -q --init --recursive
out=$("$WM" build 2>"$T/err") || { cat "$T/err"; fail "build after submodule init"; }
expect_contains "$(cat "$T/err")" "warning: symlink up.txt -> ../outside.txt points outside the stack's path (.): the slug does not contain its target" "escaping symlink warned about"
slug=$(ls "$T"/state/slugs/*.tar.zst)
files=$(tar --zstd -tf "$slug" | sed 's|^\./||' | sort)
expect_contains "$files" "vendor/lib/shared.txt" "the submodule's files are in the slug"
case "$files" in *docs/guide.md* | *fixtures/data.bin*) fail "ignored files in the slug: $files" ;; esac
echo ok
