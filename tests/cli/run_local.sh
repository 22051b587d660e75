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

# stdin that is not a terminal is the command's, to its end.
expect_eq "$(printf 'one\ntwo\n' | "$WM" run -- wc -l)" "2" "piped stdin reaches the command"
head -c 300000 /dev/urandom | base64 > "$WORK/big.txt"
expect_eq "$("$WM" run -- sha256sum < "$WORK/big.txt")" "$(sha256sum < "$WORK/big.txt")" "a 400 KB file on stdin arrives whole"

# -i: a console on a terminal of its own, fed from the user's (script(1) plays the user's
# terminal). A Ctrl-C typed there stops what runs in the console, not the console.
rc=0; "$WM" run -i -- sh </dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" 2 "wm run -i without a terminal is a usage error"
expect_contains "$(cat "$WORK/err")" "wm run -i needs a terminal on stdin" "it says why"
console() { # keys... : types each argument, a second apart, into `wm run -i -- bash --norc`
  local k # (RESIZE: the user's window becomes 33 x 111 instead)
  { sleep 3; for k in "$@"; do
      if [ "$k" = RESIZE ]; then resize_console 33 111; else printf '%b' "$k"; fi; sleep 1
    done; sleep 5; } |
    script -qec "$WM run -i -- bash --norc" /dev/null
}
rc=0; out=$(console 'test -t 0 && echo "tty-$((6 * 7)) $GREETING"\r' 'sleep 30; echo slept\r' '\003' RESIZE 'echo "size $(stty size)"\r' 'echo after-$((1 + 1)); exit 4\r') || rc=$?
expect_eq "$rc" 4 "the console's exit code is wm's"
expect_contains "$out" "tty-42 hello from the stack" "the console runs on a terminal with the stack's config"
expect_contains "$out" "after-2" "the console outlives a Ctrl-C"
expect_contains "$out" "size 33 111" "a resized window reaches the console"
if grep -q '^slept' <<<"$out"; then fail "the Ctrl-C did not stop the command in the console: $out"; fi

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
