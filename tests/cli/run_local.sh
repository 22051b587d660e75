#!/bin/bash
# wm run on the local rack: exits with the command's exit code, sees the stack's config, runs as
# the instances' tenant in their sandbox, keeps stdout and stderr apart, appears in wm logs, and
# leaves no process behind when interrupted.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
local_manifest "$PORT" <<'YAML'
stacks:
  app:
    config:
      GREETING: hello from the stack
    services:
      web:
        command: node server.js
YAML
commit_all "app with config"
"$WM" deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy"; }

rc=0; "$WM" run -- sh -c 'exit 7' || rc=$?
expect_eq "$rc" 7 "wm run exits with the command's exit code"

out=$("$WM" run -- sh -c 'echo "$GREETING"; echo oops >&2; id -u; pwd' 2>"$WORK/stderr")
expect_eq "$(sed -n 1p <<<"$out")" "hello from the stack" "the stack's config is in its environment"
expect_eq "$(cat "$WORK/stderr")" "oops" "stderr stays stderr"
[ "$(sed -n 2p <<<"$out")" -ge 70000 ] || fail "runs as the environment's tenant: $out"
expect_eq "$(sed -n 3p <<<"$out")" "/app" "runs in the release at /app"

logs=$("$WM" logs --since 1h)
echo "$logs" | grep -Eq " run v0\.[0-9a-f]{8} local \| started by [^ ]+: sh -c 'exit 7'\$" ||
    fail "the run is in the event log: $logs"
expect_contains "$logs" "| exited with code 7" "its exit code too"

"$WM" run -- sh -c 'echo started; exec sleep $((3000 + 177))' >"$WORK/run.out" 2>&1 &
runner=$!
for _ in $(seq 50); do grep -q started "$WORK/run.out" && break; sleep 0.1; done
pgrep -f '^sleep 3177$' >/dev/null || fail "the run's process is running"
kill -INT "$runner"
rc=0; wait "$runner" || rc=$?
expect_eq "$rc" 130 "an interrupted run exits 130"
for _ in $(seq 30); do pgrep -f '^sleep 3177$' >/dev/null || break; sleep 0.1; done
if pgrep -f '^sleep 3177$' >/dev/null; then fail "the interrupted run left a process: $(pgrep -af '^sleep 3177$')"; fi
expect_contains "$("$WM" logs --since 1h)" "| stopped: wm was interrupted" "the event log says so"
echo ok
