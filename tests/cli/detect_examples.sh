#!/bin/bash
# wm detect: the deciding buildpack and file, the declined detectors, processes and release command.
set -euo pipefail
: "${WM:?}" "${WM_SOURCE_DIR:?}"
ex="$WM_SOURCE_DIR/examples"
. "$WM_SOURCE_DIR/tests/support/testlib.sh"

out=$("$WM" detect "$ex/node")
[ "$out" = "buildpack: node (decided by package.json)
processes (node default):
  web: .wm/npm-start" ] || fail "node: $out"

out=$(cd "$ex/go" && "$WM" detect --explain)
[ "$out" = 'detectors, in order (the first that is not "not mine" decides):
  node      not mine  no package.json
  python    not mine  no requirements.txt, Pipfile, pyproject.toml or setup.py
  ruby      not mine  no Gemfile
  go        mine      go.mod found
buildpack: go (decided by go.mod)
processes (go default):
  web: bin/app' ] || fail "go --explain: $out"

out=$("$WM" detect "$ex/polyglot/backend")
[ "$out" = "buildpack: python (decided by requirements.txt)
processes (python default + Procfile):
  web: python app.py
  worker: python worker.py
release command: python release.py" ] || fail "backend: $out"

json=$("$WM" detect --json "$ex/procfile")
python3 - "$json" <<'PY' || fail "procfile --json: $json"
import json, sys
d = json.loads(sys.argv[1])
assert d["buildpack"] == "procfile" and d["file"] == "Procfile", d
assert [t["outcome"] for t in d["tried"]] == ["not mine"] * 7 + ["mine"], d["tried"]
assert d["process_types"] == {"web": "/usr/bin/python3 server.py"}, d
PY

set +e
err=$("$WM" detect "$WM_SOURCE_DIR/tests/fixtures/apps/java-maven" 2>&1 >/dev/null); rc=$?
set -e
[ $rc -eq 1 ] || fail "broken app exit $rc"
[ "$err" = "wm: error: java buildpack: pom.xml needs Maven Central, which cannot be reached from here; use a dependency-free javac project (system.properties and src/)" ] ||
  fail "broken app: $err"
echo "ok"
