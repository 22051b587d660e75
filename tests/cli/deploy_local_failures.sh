#!/bin/bash
# Failures on the local rack leave the old release serving and exit 1 naming server and step:
# a failing health check and a failing release command. Also: usage errors exit 2.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
manifest() {  # health-path release-command
    local_manifest "$PORT" <<YAML
stacks:
  app:
    release: "$2"
    services:
      web:
        command: node server.js
        health:
          path: $1
          timeout: 15
YAML
}
manifest /health "echo migrating"
commit_all "manifest"
URL="http://hello-node-production.localhost:$PORT"
"$WM" deploy 2>"$WORK/err" >/dev/null || { cat "$WORK/err"; fail "first deploy"; }
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "body after v0"
expect_contains "$("$WM" deployments show v0)" "local: migrating" "release output stored"

cp server.js "$WORK/server.js.good"
sed -i '1i process.exit(1); // broken on purpose' server.js
commit_all "unhealthy"
rc=0; "$WM" deploy >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" "1" "failing health check exit code"
expect_contains "$(cat "$WORK/err")" "wm: error: server local: step health" "health failure names server and step"
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "old release serves after health failure"
expect_contains "$("$WM" deployments list)" "v1       app    failed" "failed deployment recorded"
expect_eq "$("$WM" ps --json | jq -r '[.[].version] | unique | join(",")')" "0" "only v0 runs"

cp "$WORK/server.js.good" server.js
manifest /health "echo migrating; echo boom >&2; exit 3"
commit_all "bad release"
rc=0; "$WM" deploy >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" "1" "failing release command exit code"
expect_contains "$(cat "$WORK/err")" "wm: error: server local: step release: stack app: release command exited with status 3" "release failure"
expect_contains "$(cat "$WORK/err")" "local: boom" "release output shown"
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "old release serves after release failure"

rc=0; "$WM" deploy --wait=soon >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "2" "bad duration is a usage error"
rc=0; "$WM" rollback x7 >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "2" "bad version is a usage error"
echo "ok"
