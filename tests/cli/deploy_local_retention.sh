#!/bin/bash
# Retention and rollback on the local rack: a worker that crashes 4 s in fails the deploy (the
# good worker keeps running); failed deploys never take keep_releases slots, so after three
# failures and one success the last good release is still there; rollback refuses a failed or
# pruned version, listing the ones it can return to, and returns to the good one.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
manifest() { # worker-command release-command
    local_manifest "$PORT" <<YAML
keep_releases: 1
stacks:
  app:
    release: "$2"
    services:
      web:
        command: node server.js
      worker:
        command: $1
YAML
}
RELEASES="$WM_HOME/local/apps/hello-node/production/app/releases"
URL="http://hello-node-production.localhost:$PORT"
deploy() { # expected-exit what
    local rc=0
    "$WM" deploy >"$WORK/out" 2>"$WORK/err" || rc=$?
    expect_eq "$rc" "$1" "$2: exit code ($(tail -3 "$WORK/err"))"
}

manifest "node -e 'setInterval(() => {}, 1000)'" "true"
commit_all "v0: good worker"
deploy 0 "v0"
GOOD_PID=$("$WM" ps --json | jq -r '.[] | select(.service == "worker") | .pid')

manifest "node -e 'setTimeout(() => process.exit(1), 4000)'" "true"
commit_all "v1: worker crashes after 4 s"
deploy 1 "worker crashing at 4 s"
expect_contains "$(cat "$WORK/err")" "server local: step health check" "crash names the step"
expect_contains "$(cat "$WORK/err")" "hello-node.production.app.worker.v1.1" "crash names the worker"
expect_eq "$("$WM" ps --json | jq -r '.[] | select(.service == "worker") | .pid')" "$GOOD_PID" \
    "the good worker was never stopped"

manifest "node -e 'setInterval(() => {}, 1000)'" "exit 3"
for n in 2 3; do
    echo "// change $n" >> server.js
    commit_all "v$n: failing release command"
    deploy 1 "failing release command v$n"
done
expect_eq "$(ls "$RELEASES" | tr '\n' ' ')" "v0 v1 v2 v3 " "failed releases stay until the next success"

manifest "node -e 'setInterval(() => {}, 1000)'" "true"
echo "// v4" >> server.js
commit_all "v4: good again"
deploy 0 "v4 after three failures"
# keep_releases 1 keeps v4; v0 stays as the succeeded release before it; failed ones go.
expect_eq "$(ls "$RELEASES" | tr '\n' ' ')" "v0 v4 " "releases kept after three failures"

rc=0; "$WM" rollback v2 >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" "1" "rollback to a failed release exit code"
expect_contains "$(cat "$WORK/err")" "v2 failed and never served; versions you can roll back to: v0" \
    "rollback to a failed release refused"
"$WM" rollback >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "rollback to v0"; }
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "v0 serves after rollback"
expect_eq "$("$WM" ps --json | jq -r '[.[].version] | unique | join(",")')" "0" "only v0 runs"

echo "// v5" >> server.js
commit_all "v5"
deploy 0 "v5"
# Now v5 serves and v0 is the succeeded one before it: v4 is pruned, and rollback to it refused.
expect_eq "$(ls "$RELEASES" | tr '\n' ' ')" "v0 v5 " "releases kept after v5"
rc=0; "$WM" rollback v4 >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" "1" "rollback to a pruned release exit code"
expect_contains "$(cat "$WORK/err")" "v4 was pruned from the servers" "rollback to a pruned release refused"
expect_contains "$(cat "$WORK/err")" "versions you can roll back to: v0" "pruned: lists v0"
echo "ok"
