#!/bin/bash
# On 3 test hosts, each failure leaves the old release serving and exits 1 naming server and
# step: failing health check, failing release command, unreachable server, kill -9 of wm (the
# next deploy needs no unlock), two concurrent deploys (one fails showing the holder).
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(1 2 3)
setup_rack "${H[@]}"
SERVERS=$(sed -n '/^    servers:/,/^environments:/p' widemesh.yaml | sed '1d;$d')
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "first deploy"; }
serves() {  # body what
  for i in "${H[@]}"; do expect_eq "$(alias_get "$i" /)" "$1" "$2 ($(hname "$i"))"; done
}
serves "hello from node" "v0 serves"
GOOD=$(cat server.js)

# A failing health check: the new instances exit at once.
sed -i '1i process.exit(1);' server.js
write_manifest "$SERVERS" "echo migrated" 4 && commit_all "crashes"
rc=0; wm deploy >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" 1 "health failure exit code"
expect_contains "$(cat "$WORK/err")" "wm: error: server $(addr 1): step health" "health failure names server and step"
serves "hello from node" "old release after health failure"

# A failing release command: nothing starts.
echo "$GOOD" > server.js
sed -i 's/hello from node/hello v2/' server.js
write_manifest "$SERVERS" "echo broken >&2; exit 4" && commit_all "bad release"
rc=0; wm deploy >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" 1 "release failure exit code"
expect_contains "$(cat "$WORK/err")" "wm: error: server $(addr 1): step release: stack app: release command exited with status 4" "release failure"
expect_contains "$(cat "$WORK/err")" "$(addr 1): broken" "release output shown"
serves "hello from node" "old release after release failure"

# An unreachable server (nothing listens on port 2222 of host 10): stops before any change.
write_manifest "$SERVERS
      - address: $(addr 10)
        port: 2222
        key: $TB/id_ed25519" "echo migrated" && commit_all "unreachable"
rc=0; wm deploy >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" 1 "unreachable exit code"
expect_contains "$(cat "$WORK/err")" "wm: error: server $(addr 10): step connect:" "unreachable names server and step"
serves "hello from node" "old release with an unreachable server"
# Reads answer for the servers they reach and mark the others (exit 1 after printing).
rc=0; out=$(wm ps 2>"$WORK/err") || rc=$?
expect_eq "$rc" 1 "ps exit code with a dead server"
expect_contains "$(grep "^$(addr 1) " <<<"$out" | head -n 1)" " run " "ps lists a reachable server's instances"
expect_contains "$(grep "$(addr 10)" <<<"$out")" "unreachable" "ps marks the dead server"
expect_contains "$(cat "$WORK/err")" "warning: server $(addr 10): step connect:" "ps says why"
expect_contains "$(cat "$WORK/err")" "wm: error: 1 of 4 servers did not answer; the others are shown" "ps summary"
rc=0; json=$(wm ps --json 2>/dev/null) || rc=$?
expect_eq "$(jq -r --arg s "$(addr 10)" '.[] | select(.server == $s) | .state' <<<"$json")" "unreachable" "ps --json marks it"
rc=0; out=$(wm lock status 2>/dev/null) || rc=$?
expect_eq "$rc" 1 "lock status exit code with a dead server"
expect_contains "$out" "$(addr 10)  (unreachable)" "lock status marks the dead server"
expect_contains "$(grep "$(addr 2)" <<<"$out")" "(free)" "lock status of a reachable server"
wm deployments list >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deployments list with a dead server"; }

# kill -9 of wm while it starts the new release; the next command that reaches the servers
# releases the dead holder's lease.
write_manifest "$SERVERS" "echo migrated" && commit_all "kill me"
"$WM" --state-dir "$ST" deploy >/dev/null 2>"$WORK/killed.err" &
pid=$!
for _ in $(seq 300); do grep -q "Starting the new release" "$WORK/killed.err" && break; sleep 0.1; done
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
serves "hello from node" "old release after kill -9"
out=$(wm lock status 2>&1)
expect_contains "$out" "released the deploy lease of environment 'production' of app" "the next command releases the dead holder's lease"
expect_contains "$out" "(pid $pid on" "it names the dead holder"
expect_contains "$(wm lock status 2>&1)" "(free)" "the lease is free"
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy after kill -9"; }
serves "hello v2" "next deploy after kill -9"

# Two deploys at once: exactly one fails, showing the holder; the other succeeds.
sed -i 's/hello v2/hello v3/' server.js && commit_all "race"
wm deploy >/dev/null 2>"$WORK/a.err" & a=$!
wm deploy >/dev/null 2>"$WORK/b.err" & b=$!
ra=0; wait "$a" || ra=$?
rb=0; wait "$b" || rb=$?
expect_eq "$((ra + rb))" "1" "one of two concurrent deploys fails (exit $ra and $rb)"
expect_contains "$(cat "$WORK/a.err" "$WORK/b.err")" "is locked: held by" "the loser shows the holder"
serves "hello v3" "after concurrent deploys"
expect_contains "$(wm lock status)" "(free)" "lease free afterwards"
# --wait queues behind a running deploy instead of failing.
sed -i 's/hello v3/hello v4/' server.js && commit_all "queue"
wm deploy >/dev/null 2>"$WORK/a.err" & a=$!
sleep 1
wm deploy --wait=3m >/dev/null 2>"$WORK/b.err" || { cat "$WORK/b.err"; fail "--wait deploy"; }
wait "$a" || { cat "$WORK/a.err"; fail "first of two queued deploys"; }
serves "hello v4" "after queued deploys"

# A proxy switch that fails on one server after the others switched: the deploy rolls forward,
# says what each server serves, records "partial", and the next deploy finishes the job.
sed -i 's/hello v4/hello v5/' server.js && commit_all "partial"
# The wrapper refuses a reload that changes the Caddyfile (the switch), not prepare's no-op one.
tb ssh 3 'cat > /usr/local/bin/caddy <<"SH"
#!/bin/sh
p=/var/lib/widemesh/proxy
if [ "$1" = reload ] && ! cmp -s $p/Caddyfile $p/Caddyfile.prev; then echo refused by the test >&2; exit 1; fi
exec /usr/bin/caddy "$@"
SH
chmod 0755 /usr/local/bin/caddy' >/dev/null
rc=0; wm deploy >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" 1 "partial switch exit code"
expect_contains "$(cat "$WORK/err")" "wm: error: the new release serves on 2 of 3 servers ($(addr 1), $(addr 2)); not on server $(addr 3): step switch" "partial switch message"
expect_eq "$(alias_get 1 /)" "hello v5" "a switched server serves the new release"
expect_eq "$(alias_get 2 /)" "hello v5" "the other switched server serves the new release"
expect_eq "$(alias_get 3 /)" "hello v4" "the server that could not switch keeps the old one"
expect_contains "$(wm deployments list | tail -n 1)" "partial" "the record says partial"
expect_contains "$(wm lock status)" "(free)" "lease free after a partial switch"
expect_eq "$(wm ps --json | jq -rs --arg s "$(addr 3)" '[flatten[] | select(.server == $s) | .version] | unique | length')" "1" \
  "the server that did not switch runs one release"
tb ssh 3 'rm -f /usr/local/bin/caddy' >/dev/null
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy after a partial switch"; }
serves "hello v5" "the next deploy finishes the switch"
echo ok
