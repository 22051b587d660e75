#!/bin/bash
# Deploys every corpus app to the local rack (one environment each, side by side) and checks
# what it answers over HTTP: the run-time contract (PATH with the app's bin dirs, .profile.d,
# config_vars, npm start's hooks), the python project kinds, and static sites served by Caddy.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
WORK=$(mktemp -d /tmp/wm-corpus-test.XXXXXX)
export WM_HOME="$WORK/state" HOME="$WORK/home"
mkdir -p "$HOME" "$WM_HOME"
trap cleanup EXIT
PORT=$(free_port)

# deploy_case CASE: deploys tests/corpus/CASE as environment CASE; sets URL and OUT (its output).
deploy_case() {
  cp -r "$WM_SOURCE_DIR/tests/corpus/$1" "$WORK/$1"
  cd "$WORK/$1"
  rm -f expected-detect.json
  printf 'app: corpus-%s\nracks:\n  local:\n    provider: local\n    http_port: %s\nenvironments:\n  %s:\n    racks: [local]\n' \
    "$1" "$PORT" "$1" > widemesh.yaml
  if [ -f stack.yaml ]; then cat stack.yaml >> widemesh.yaml && rm stack.yaml; fi
  git init -q . && commit_all "corpus $1"
  echo "corpus: deploying $1" >&2
  OUT=$("$WM" deploy -v -e "$1" 2>&1) || { echo "$OUT" >&2; fail "deploy of $1"; }
  URL=$(grep -o "http://[^ ]*localhost:$PORT" <<<"$OUT" | head -n 1)
  [ -n "$URL" ] || { echo "$OUT" >&2; fail "$1: no URL in the deploy output"; }
}
body() { curl -sS -m 5 "$URL$1"; }
code() { curl -s -o /dev/null -w '%{http_code}' -m 5 "$URL$1"; }

deploy_case node-bin-start # "start": "tiny-serve", a dependency's bin; npm's prestart hook runs
expect_eq "$(body /)" "tiny-serve: prestart ran" "node: start script from node_modules/.bin after prestart"

deploy_case node-engines
node_v=$(node --version)
expect_contains "$OUT" " !     engines.node requests \">=99\", but Node.js $node_v is the only version installed: using $node_v" "engines.node warning"
expect_eq "$(body /)" "node engines" "node: index.js without a start script"

deploy_case python-procfile # web: python app.py; release: python -c ...
expect_eq "$(body /)" "python-procfile: /app/.venv" "python: Procfile 'python' is the venv's"
expect_contains "$OUT" "release: python is /app/.venv/bin/python" "release command has the venv on PATH"

deploy_case python-pipfile
expect_eq "$(body /)" "python-pipfile: /app/.venv" "python: Pipfile + Pipfile.lock"
expect_contains "$OUT" "installing the packages Pipfile.lock pins" "Pipfile.lock installs"

deploy_case python-pyproject # PEP 517 build of a setuptools project; its console script is web
expect_eq "$(body /)" "corpus-serve: console script" "python: pyproject console script on PATH"

deploy_case python-version
py_v=$(/usr/bin/python3 -c 'import platform; print(platform.python_version())')
expect_contains "$OUT" " !     .python-version requests 3.99, which is not installed here: using Python $py_v" ".python-version message"
expect_eq "$(body /)" "python-version" "python: runs on the installed version"

deploy_case ruby-webrick
expect_eq "$(body /)" "ruby-webrick: BUNDLE_GEMFILE=/app/Gemfile" "ruby: the profile script's bundler environment"

deploy_case php-public
expect_eq "$(body /a/b)" "php-public: /a/b" "php: public/index.php routes every path"

deploy_case go-cmd
expect_eq "$(body /)" "go-cmd: cmd/web" "go: the single main package under cmd/"

deploy_case custom-config-vars # bin/release config_vars, the stack's config wins, .profile.d
expect_eq "$(body /)" "custom: GREETING=hello from config_vars OVERRIDDEN=from the manifest FROM_PROFILE=profile.d ran" "custom buildpack: config_vars and .profile.d"

deploy_case procfile-only
expect_eq "$(body /)" "procfile-only: serve.py" "Procfile only"

deploy_case static-root # Caddy's file server: no dotfiles, no deploy files, no listings, 404 page
expect_contains "$(body /)" "<p>static-root: index</p>" "static: index"
for p in /.env /widemesh.yaml /.wm/Caddyfile /assets/ /assets /nope; do
  expect_eq "$(code "$p")" 404 "static-root $p"
done
expect_contains "$(body /.env)" "<p>static-root: no such page</p>" "static: 404.html answers a dotfile"
expect_contains "$(curl -sS -m 5 -D - -o /dev/null -H 'Accept-Encoding: gzip' "$URL/assets/site.css")" "Content-Encoding: gzip" "static: compressed"

deploy_case static-public
expect_contains "$(body /)" "<p>static-public: index</p>" "static: public/"
expect_eq "$(code /README.md)" 404 "static-public: files outside public/"

deploy_case static-dist
expect_contains "$(body /)" "<p>static-dist: index</p>" "static: dist/"
expect_eq "$(code /src/notes.txt)" 404 "static-dist: files outside dist/"
echo ok
