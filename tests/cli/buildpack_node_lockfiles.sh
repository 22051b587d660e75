#!/bin/bash
# The node buildpack honours yarn.lock and pnpm-lock.yaml when the build machine has the tool, and
# otherwise says which lockfile it found and that npm installs instead (exact text). Runs the
# buildpack's bin/compile directly, with PATH narrowed to hide or provide the tools.
set -euo pipefail
: "${WM_SOURCE_DIR:?}"
. "$WM_SOURCE_DIR/tests/support/testlib.sh"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
COMPILE=$WM_SOURCE_DIR/templates/buildpacks/node/bin/compile
CORPUS=$WM_SOURCE_DIR/tests/corpus
# $T/bin: every command of this machine but yarn, yarnpkg and pnpm.
mkdir -p "$T/bin" "$T/env"
for f in /usr/local/bin/* /usr/bin/* /bin/*; do
  case ${f##*/} in yarn | yarnpkg | pnpm) continue ;; esac
  [ -e "$T/bin/${f##*/}" ] || ln -s "$f" "$T/bin/${f##*/}"
done
compile() { # case path: compiles a copy of the corpus case with PATH; prints its output
  rm -rf "$T/app" "$T/cache" && cp -r "$CORPUS/$1" "$T/app" && mkdir "$T/cache"
  PATH=$2 bash "$COMPILE" "$T/app" "$T/cache" "$T/env" 2>&1 || fail "$1: compile failed"
}

out=$(compile node-yarn "$T/bin")
expect_contains "$out" "
       yarn.lock found but yarn is not installed (apt-get install yarnpkg): using npm install
-----> cache miss: installing dependencies for package.json" "no yarn: npm installs, and says so"
[ -d "$T/app/node_modules/tiny-greet" ] || fail "npm installed the dependency"

out=$(compile node-pnpm "$T/bin")
expect_contains "$out" "
       pnpm-lock.yaml found but pnpm is not installed: using npm install
" "no pnpm: npm installs, and says so"

# A pnpm on PATH is used, with the lockfile frozen (this one records how it was called).
mkdir -p "$T/pnpm-bin"
printf '#!/bin/sh\necho "pnpm called with: $*"\nmkdir -p node_modules/.pnpm\n' > "$T/pnpm-bin/pnpm"
chmod +x "$T/pnpm-bin/pnpm"
out=$(compile node-pnpm "$T/pnpm-bin:$T/bin")
expect_contains "$out" "installing dependencies for pnpm-lock.yaml" "pnpm's lockfile is the cache key"
expect_contains "$out" "pnpm called with: install --frozen-lockfile" "pnpm installs"

if command -v yarnpkg >/dev/null; then # Debian's yarn (scripts/install-deps.sh installs it)
  out=$(compile node-yarn "$PATH")
  expect_contains "$out" ": yarnpkg install --frozen-lockfile --non-interactive" "yarn installs"
  [ -f "$T/app/node_modules/.yarn-integrity" ] || fail "yarn installed node_modules"
else
  echo "yarnpkg is not installed here: the yarn case of corpus_deploy will fail too" >&2
  exit 1
fi
echo ok
