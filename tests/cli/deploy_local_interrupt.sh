#!/bin/bash
# Ctrl-C during a deploy on the local rack: SIGINT while the health check waits (the app never
# answers 2xx) stops the wait, stops the new instances, releases the lease and exits 130.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
never_healthy_manifest "$PORT" 60
commit_all "manifest"

"$WM" deploy >/dev/null 2>"$WORK/err" &
pid=$!
# The health wait has begun once runsvdir runs the first instance of v0.
for _ in $(seq 1 600); do
    if ls "$WM_HOME/local/service/" 2>/dev/null | grep -q '^production\.app\.web\.v0\.1$'; then
        break
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/err"; fail "deploy ended before its health wait"; }
    sleep 0.2
done
sleep 1
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
expect_eq "$rc" "130" "exit code after SIGINT"
expect_contains "$(cat "$WORK/err")" "wm: error: server local: step health check: interrupted" "message"
expect_contains "$("$WM" lock status)" "local   (free)" "lease released"
expect_eq "$("$WM" ps --json | jq length)" "0" "new instances stopped"
expect_contains "$("$WM" deployments list)" "v0       app    failed" "interrupted deployment recorded"
echo "ok"
