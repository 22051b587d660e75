#!/bin/bash
# wm build with buildpacks: [file://...#v1] in widemesh.yaml: the tagged version of a custom
# buildpack runs (not its newer HEAD), with the stack's config in ENV_DIR; a node rebuild with an
# unchanged lockfile says "cache hit".
set -euo pipefail
: "${WM:?}" "${WM_SOURCE_DIR:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$WM_SOURCE_DIR/tests/support/testlib.sh"
export WM_HOME="$T/state" GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com \
       GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com

cp -r "$WM_SOURCE_DIR/tests/fixtures/apps/custom-buildpack" "$T/bp" && cd "$T/bp"
git init -q . && git add -A && git commit -qm v1 && git tag v1
echo v2 > VERSION && git commit -qam v2

mkdir "$T/app" && cd "$T/app"
echo hello > hello.txt
cat > widemesh.yaml <<YAML
app: custom
stacks:
  web:
    buildpacks: ["file://$T/bp#v1"]
    config:
      CUSTOM_VAR: from-manifest
YAML
git init -q . && git add -A && git commit -qm app
"$WM" build 2>"$T/log" >/dev/null || fail "build: $(cat "$T/log")"
grep -q "custom hello buildpack v1" "$T/log" || fail "v1 did not run: $(cat "$T/log")"
slug=$(ls "$T"/state/slugs/*.tar.zst)
[ "$(tar --zstd -xOf "$slug" answer.txt)" = "hello
v1
CUSTOM_VAR=from-manifest" ] || fail "answer.txt: $(tar --zstd -xOf "$slug" answer.txt)"

cp -r "$WM_SOURCE_DIR/examples/node" "$T/node" && cd "$T/node"
git init -q . && git add -A && git commit -qm one
"$WM" build 2>"$T/log1" >/dev/null || fail "node: $(cat "$T/log1")"
grep -q "cache miss: installing dependencies for package-lock.json" "$T/log1" || fail "no miss"
echo "// two" >> server.js && git commit -qam two
"$WM" build 2>"$T/log2" >/dev/null || fail "node 2: $(cat "$T/log2")"
grep -q "cache hit: node_modules for package-lock.json" "$T/log2" || fail "no hit: $(cat "$T/log2")"
grep -q "npm ci" "$T/log2" && fail "npm ci ran again"
echo "ok"
