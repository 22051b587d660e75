#!/bin/bash
# A release command that runs past stacks.<s>.release_timeout is killed and fails the deploy
# naming the setting; the old release keeps serving.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
manifest() { # release-command timeout
    local_manifest "$PORT" <<YAML
stacks:
  app:
    release: "$1"
    release_timeout: $2
    services:
      web:
        command: node server.js
        health: {path: /health, timeout: 15}
YAML
}
manifest "echo migrating" 600
commit_all "manifest"
URL="http://hello-node-production.localhost:$PORT"
"$WM" deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "first deploy"; }

manifest "echo started; sleep 67" 2
commit_all "slow release"
rc=0; "$WM" deploy >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" "1" "exit code"
expect_contains "$(cat "$WORK/err")" "wm: error: server local: step release: stack app: release command timed out after 2 s (raise stacks.app.release_timeout in widemesh.yaml)" "timeout named"
expect_contains "$(cat "$WORK/err")" "local: started" "release output shown"
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "old release serves"
pgrep -fx "sleep 67" >/dev/null && fail "the release command outlived its timeout"
echo ok
