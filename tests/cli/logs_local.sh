#!/bin/bash
# wm logs on the local rack: an instance's request line with its service, instance and server,
# the deploy's events and release output, --since, --service, --json and -f.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
cat >app.js <<'JS'
const http = require("http");
http.createServer((req, res) => {
  console.log(`request ${req.url} says ${process.env.GREETING}`);
  res.end("ok\n");
}).listen(Number(process.env.PORT), "0.0.0.0");
JS
local_manifest "$PORT" <<'YAML'
stacks:
  app:
    release: echo migrating the database
    config:
      GREETING: hello
    services:
      web:
        command: node app.js
YAML
commit_all "logging app"
"$WM" deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy"; }
URL="http://hello-node-production.localhost:$PORT"
STAMP='20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]{5}Z'

curl -fsS -m 5 "$URL/first" >/dev/null
sleep 0.5
logs=$("$WM" logs)
echo "$logs" | grep -Eq "^$STAMP web v0\.1 local \| request /first says hello\$" ||
    fail "the request line with its service, instance and server in: $logs"
for event in "release v0 local | migrating the database" \
    "release v0 local | release command exited with code 0" \
    "deploy v0 local | started web v0.1" "deploy v0 local | healthy: web v0.1" \
    "deploy v0 local | switched the proxy to web v0.1"; do
    expect_contains "$logs" "$event" "the deploy's events are in the log"
done
# Time order: the release ran before the instance started, which answered after it was healthy.
order=$(echo "$logs" | grep -nE 'migrating|started web|request /first' | cut -d: -f1 | tr '\n' ' ')
expect_eq "$(echo "$order" | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')" "$order" "lines in time order"

sleep 3
curl -fsS -m 5 "$URL/second" >/dev/null
sleep 0.5
recent=$("$WM" logs --since 2s)
expect_contains "$recent" "request /second says hello" "--since 2s shows the new request"
case "$recent" in *"/first"* | *migrating*) fail "--since 2s shows older lines: $recent" ;; esac

only_web=$("$WM" logs --service web --since 1h)
expect_contains "$only_web" "request /first" "--service web shows web's lines"
case "$only_web" in *"deploy v0"*) fail "--service web shows events: $only_web" ;; esac

"$WM" logs --json --since 1h | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
hit = [r for r in rows if r["line"] == "request /second says hello"]
assert len(hit) == 1, rows
r = hit[0]
assert (r["server"], r["stack"], r["service"], r["instance"]) == ("local", "app", "web", "v0.1"), r
assert set(r) == {"ts", "server", "stack", "service", "instance", "line"}, r
' || fail "--json: one object per line"

"$WM" logs -f --since 1s >"$WORK/follow" 2>"$WORK/follow.err" &
follower=$!
sleep 1
curl -fsS -m 5 "$URL/third" >/dev/null
for _ in $(seq 20); do grep -q "/third" "$WORK/follow" && break; sleep 0.1; done
grep -q "request /third says hello" "$WORK/follow" || fail "-f shows a new line within 2 s"
kill -INT "$follower"
rc=0; wait "$follower" || rc=$?
expect_eq "$rc" 130 "-f ends with Ctrl-C"
echo ok
