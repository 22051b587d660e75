#!/bin/bash
# The local rack's lifecycle: `wm rack stop local` leaves no process of the rack behind (even
# after its supervisor was killed), `wm rack start local` brings back what was deployed, and
# `wm rack status local` says which of the two holds.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
local_manifest "$PORT" </dev/null
commit_all "manifest"

# Every process that belongs to this local rack: its cwd or command line is under $WM_HOME
# (ps and ls list once; a loop over /proc forking per process is slow on a busy machine).
rack_processes() {
    ps -eo pid=,args= >"$WORK/ps"
    ls -l /proc/[0-9]*/cwd 2>/dev/null >"$WORK/cwd" || true
    grep -F "$WM_HOME/" "$WORK/ps" "$WORK/cwd" || true
}

out=$("$WM" deploy 2>"$WORK/err") || { cat "$WORK/err"; fail "deploy"; }
URL=$(grep -o 'http://[^ ]*' <<<"$out" | head -n 1)
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "serves after deploy"
expect_contains "$("$WM" rack status local)" "supervisor running (pid " "status while running"
expect_contains "$("$WM" rack status local)" ", layout v2, " "the local rack has the current layout"

out=$("$WM" rack stop local)
expect_contains "$out" "local: reachable, " "stop prints the status"
expect_contains "$out" ", supervisor stopped" "stop says it stopped"
expect_eq "$(rack_processes)" "" "nothing of the rack runs after stop"
curl -fsS -m 2 "$URL/" >/dev/null 2>&1 && fail "the app still answers after stop"
expect_contains "$("$WM" rack status local)" ", supervisor stopped" "status while stopped"
expect_eq "$("$WM" rack status local --json | jq -c '.servers[0].supervisor.running')" "false" \
    "status --json while stopped"

out=$("$WM" rack start local)
expect_contains "$out" ", supervisor running (pid " "start says it runs"
for _ in $(seq 50); do curl -fsS -m 2 "$URL/" >/dev/null 2>&1 && break; sleep 0.2; done
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "what was deployed serves after start"
"$WM" rack start local >/dev/null # a running rack: a no-op
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "a second start changes nothing"

# A killed supervisor leaves its runsv processes serving: stop must end them too.
kill -KILL "$(cat "$WM_HOME/local/runsvdir.pid")"
sleep 0.3
[ -n "$(rack_processes)" ] || fail "expected orphaned runsv processes after killing runsvdir"
"$WM" rack stop local >/dev/null
expect_eq "$(rack_processes)" "" "no orphan left after stop"

# Only the local rack runs here.
printf 'app: x\nracks:\n  edge:\n    servers: [10.0.0.5]\n' >"$WORK/other.yaml"
set +e
err=$("$WM" rack stop edge -f "$WORK/other.yaml" 2>&1)
code=$?
set -e
expect_eq "$code" 2 "stop of a server rack is a usage error"
expect_contains "$err" "rack edge is a rack of servers; only the local rack runs on this machine" \
    "stop of a server rack"
