#!/bin/bash
# Day two on 2 test hosts: `wm logs` merges both servers' instance logs and the deploy's events
# in time order, --since filters, -f follows across a deploy, an unreachable server is named
# while the others still show (exit 1); `wm run` exits with the command's code on a real server,
# with the stack's config, takes a pipe on stdin, gives a console a terminal (-i), and an
# interrupted run exits 130 and leaves no process on the server.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(2 3)
setup_rack "${H[@]}"
# The example logs each request; the stack gets a config var.
sed -i 's|^const server = http.createServer((req, res) => {$|&\n  console.log(`request ${req.url}`);|' server.js
sed -i 's|^  app:$|&\n    config:\n      GREETING: hello from the stack|' widemesh.yaml
grep -q 'console.log(`request' server.js && grep -q GREETING widemesh.yaml || fail "test app edits"
commit_all "logging app"
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy"; }
A2=$(addr 2) A3=$(addr 3)

alias_get 2 /from-2 >/dev/null && alias_get 3 /from-3 >/dev/null
sleep 1
logs=$(wm logs 2>"$WORK/err") || { cat "$WORK/err"; fail "wm logs"; }
echo "$logs" | grep -Eq " web v0\.[12] $A2 \| request /from-2\$" || fail "host 2's request: $logs"
echo "$logs" | grep -Eq " web v0\.[12] $A3 \| request /from-3\$" || fail "host 3's request: $logs"
# The release command runs once, on one server; every server switches.
expect_eq "$(grep -Ec " release v0 ($A2|$A3) \| migrated\$" <<<"$logs")" 1 "the release output, once"
for i in "${H[@]}"; do
  expect_contains "$logs" "deploy v0 $(addr "$i") | switched the proxy to web v0.1, web v0.2" "switch on $(hname "$i")"
done
stamps=$(echo "$logs" | cut -d' ' -f1)
expect_eq "$(sort <<<"$stamps")" "$stamps" "both servers' lines merged in time order"

sleep 3
alias_get 3 /later >/dev/null
sleep 1
recent=$(wm logs --since 2s)
expect_contains "$recent" "$A3 | request /later" "--since 2s shows the new request"
case "$recent" in *"/from-2"* | *migrated*) fail "--since 2s shows older lines: $recent" ;; esac

# -f follows across a deploy: the new release's instances and events appear.
# Not the wm() function: $! must be wm itself (a subshell ignores the SIGINT sent below).
"$WM" --state-dir "$ST" logs -f --since 1s >"$WORK/follow" 2>"$WORK/follow.err" &
follower=$!
sed -i 's/hello from node/hello again/' server.js && commit_all "second"
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "second deploy"; }
alias_get 2 /after-deploy >/dev/null
for _ in $(seq 30); do grep -q "/after-deploy" "$WORK/follow" && break; sleep 0.1; done
grep -Eq " web v1\.[12] $A2 \| request /after-deploy\$" "$WORK/follow" ||
  fail "-f shows the new release's request within 3 s: $(cat "$WORK/follow" "$WORK/follow.err")"
expect_contains "$(cat "$WORK/follow")" "deploy v1 $A3 | started web v1.1, web v1.2" "-f shows the deploy's events"
expect_contains "$(cat "$WORK/follow")" "deploy v0 $A2 | stopped web v0.1, web v0.2" "and the old set stopping"
kill -INT "$follower"
rc=0; wait "$follower" || rc=$?
expect_eq "$rc" 130 "-f ends with Ctrl-C"

# A server that does not answer is named; the others' logs still show; exit 1.
sed "s|^      - address: $A3\$|      - address: 10.78.0.250\n        key: $TB/id_ed25519\n&|" widemesh.yaml >"$WORK/four.yaml"
rc=0; out=$(wm logs --file "$WORK/four.yaml" --since 1h --connect-timeout 3 2>"$WORK/err") || rc=$?
expect_eq "$rc" 1 "wm logs exits 1 when a server did not answer"
expect_contains "$out" "$A2 | request /after-deploy" "the reachable servers' logs still show"
expect_contains "$(cat "$WORK/err")" "10.78.0.250" "the unreachable server is named"
expect_contains "$(cat "$WORK/err")" "1 of 3 servers did not answer; the others are shown" "summary"

# wm run on a real server: its exit code, the stack's config, the instances' tenant.
rc=0; out=$(wm run --server "$A3" -- sh -c 'echo "$GREETING"; hostname; id -u; exit 7' 2>"$WORK/err") || rc=$?
expect_eq "$rc" 7 "wm run exits with the command's exit code"
expect_eq "$(sed -n 1p <<<"$out")" "hello from the stack" "the stack's config in its environment"
expect_eq "$(sed -n 2p <<<"$out")" "$(hname 3)" "ran on the server asked for"
[ "$(sed -n 3p <<<"$out")" -ge 70000 ] || fail "runs as the environment's tenant: $out"
expect_contains "$(wm logs --since 1m)" "$A3 | exited with code 7" "the run is in the event log"

# stdin that is not a terminal is the command's, to its end (more than one SSH window).
head -c 3000000 /dev/urandom | base64 > "$WORK/big.txt"
out=$(wm run --server "$A3" -- sha256sum < "$WORK/big.txt" 2>"$WORK/err") || { cat "$WORK/err"; fail "wm run with stdin"; }
expect_eq "$out" "$(sha256sum < "$WORK/big.txt")" "a 4 MB file on stdin arrives whole"

# -i: a console on a terminal of the server (script(1) plays the user's terminal); a Ctrl-C
# typed there stops what runs in the console, not the console.
rc=0; out=$({ sleep 4; for k in 'test -t 0 && echo "tty-$((6 * 7)) $(hostname)"\r' 'sleep 30; echo slept\r' '\003' RESIZE 'echo "size $(stty size)"\r' 'exit 4\r'; do
    if [ "$k" = RESIZE ]; then resize_console 33 111; else printf '%b' "$k"; fi; sleep 1; done; sleep 5; } |
  script -qec "$WM --state-dir $ST run -i --server $A3 -- bash --norc" /dev/null) || rc=$?
expect_eq "$rc" 4 "the console's exit code is wm's"
expect_contains "$out" "tty-42 $(hname 3)" "the console runs on a terminal of the server"
expect_contains "$out" "size 33 111" "a resized window reaches the console on the server"
if grep -q '^slept' <<<"$out"; then fail "the Ctrl-C did not stop the command in the console: $out"; fi

# Ctrl-C: wm stops the run on the server (sshd keeps the channel open until its command ends).
"$WM" --state-dir "$ST" run --server "$A3" -- sh -c 'echo started; exec sleep $((3000 + 177))' >"$WORK/run.out" 2>&1 &
runner=$!
for _ in $(seq 100); do grep -q started "$WORK/run.out" && break; sleep 0.1; done
tb ssh 3 "pgrep -f '^sleep 3177\$'" >/dev/null || fail "the run's process runs on the server: $(cat "$WORK/run.out")"
kill -INT "$runner"
rc=0; wait "$runner" || rc=$?
expect_eq "$rc" 130 "an interrupted run exits 130"
left=$(tb ssh 3 "pgrep -af '^sleep 3177\$' || true")
expect_eq "$left" "" "the interrupted run left no process on the server"
expect_contains "$(wm logs --since 1m)" "$A3 | stopped: wm was interrupted" "the event log says so"

echo ok
