#!/bin/bash
# Ctrl-C and SIGTERM during a deploy on the local rack: the signal, while the health check
# waits (the web process never listens), stops the wait, stops the new instances, releases the lease
# and exits 128 + the signal (130, 143).
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
never_healthy_manifest "$PORT" 60
commit_all "manifest"

# interrupt SIGNAL EXIT-CODE VERSION: a deploy interrupted in its health wait by SIGNAL.
interrupt() {
    "$WM" deploy >/dev/null 2>"$WORK/err" &
    pid=$!
    # The health wait has begun once runsvdir runs the first instance of the new version.
    for _ in $(seq 1 600); do
        if ls "$WM_HOME/local/service/" 2>/dev/null | grep -q "^hello-node\.production\.app\.web\.v$3\.1$"; then
            break
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$WORK/err"; fail "deploy ended before its health wait"; }
        sleep 0.2
    done
    sleep 1
    kill "-$1" "$pid" || { cat "$WORK/err"; fail "the deploy ended before SIG$1"; }
    rc=0; wait "$pid" || rc=$?
    expect_eq "$rc" "$2" "exit code after SIG$1"
    expect_contains "$(cat "$WORK/err")" "wm: error: server local: step health check: interrupted" "message"
    expect_contains "$("$WM" lock status)" "local   (free)" "lease released"
    expect_eq "$("$WM" ps --json | jq length)" "0" "new instances stopped"
    expect_contains "$("$WM" deployments list)" "v$3       app    failed" "interrupted deployment recorded"
}
interrupt INT 130 0  # Ctrl-C
interrupt TERM 143 1 # what CI systems send on cancel

# A second signal stops wm at once and says what may be left; the next command releases the
# lease of the ended wm. (INT then TERM: two signals of one kind sent together may merge.)
"$WM" deploy >/dev/null 2>"$WORK/err" &
pid=$!
for _ in $(seq 1 600); do
    ls "$WM_HOME/local/service/" 2>/dev/null | grep -q '^hello-node\.production\.app\.web\.v2\.1$' && break
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/err"; fail "deploy ended before its health wait"; }
    sleep 0.2
done
kill -INT "$pid"; kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
expect_contains "130 143" "$rc" "exit code after a second signal (128 + the signal that stopped it)"
expect_contains "$(cat "$WORK/err")" "wm: stopped at once by a second signal: what this command started on the servers (new instances, the deploy lease) may be left there; the next wm command that reaches them releases the lease and stops what no deployment owns" "second signal message"
out=$("$WM" lock status 2>&1)
expect_contains "$out" "released the deploy lease of environment 'production' of app 'hello-node'" "the next command releases the ended wm's lease"
expect_contains "$out" "local   (free)" "lease free after the next command"
echo "ok"
