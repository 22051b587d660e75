#!/bin/bash
# wm lock release never frees a live deploy's lease without --force (it shows who holds it);
# a lease whose holder died is released without it.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
never_healthy_manifest "$PORT" 120
commit_all "manifest"

start_deploy() { # a deploy that holds the lease while its health check waits
    "$WM" deploy >/dev/null 2>"$WORK/err" &
    pid=$!
    for _ in $(seq 1 600); do
        "$WM" lock status 2>/dev/null | grep -q "pid $pid\|  $pid  " && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$WORK/err"; fail "deploy ended early"; }
        sleep 0.2
    done
    fail "the deploy never took the lease"
}

start_deploy
err=$("$WM" lock release 2>&1) && fail "a live deploy's lease was released without --force"
expect_contains "$err" "wm: error: the deploy lease of production is held by $(id -un)@$(hostname) (pid $pid" "holder named"
expect_contains "$err" "hint: wait for that deploy to end (wm lock status), or pass --force if it is gone for good" "hint"
expect_contains "$("$WM" lock status)" "$pid" "lease kept"
expect_eq "$("$WM" lock release --force)" "released production's deploy lease" "--force releases"
expect_contains "$("$WM" lock status)" "local   (free)" "free after --force"
kill -INT "$pid"; wait "$pid" || true

# A holder killed with SIGKILL cannot clean up: the next command that reaches the server
# releases its lease, naming it, without --force.
start_deploy
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
out=$("$WM" lock status 2>&1)
expect_contains "$out" "local: released the deploy lease of environment 'production' of app 'hello-node' (held by $(id -un)@$(hostname) (pid $pid on" "dead holder's lease released on contact"
expect_contains "$out" "): that wm no longer runs" "says why"
expect_contains "$out" "local   (free)" "free after the next command"
echo ok
