#!/bin/bash
# wm config, wm scale and wm restart on the local rack: a secret set with --stdin reaches a
# running instance's environment and nothing else (no argv, no wm output, no slug, no journal);
# list without and with --reveal; server config wins over the manifest; unset; rollback brings
# a release's config back; scale changes the number of answering instances; restart gives new
# instance names on the same release.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
cat >app.js <<'JS'
const http = require("http");
http.createServer((req, res) => {
  const name = new URL(req.url, "http://x").searchParams.get("env");
  res.end((name ? String(process.env[name]) : process.env.PORT) + "\n");
}).listen(Number(process.env.PORT), "0.0.0.0");
JS
local_manifest "$PORT" <<'YAML'
stacks:
  app:
    config:
      MODE: manifest
    services:
      web:
        command: node app.js
        instances: 2
YAML
commit_all "env echo"
"$WM" deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy"; }
URL="http://hello-node-production.localhost:$PORT"
get() { curl -fsS -m 5 "$URL/?env=$1"; }
SECRET="s3cr3t-$RANDOM$RANDOM-value"

# set --stdin: the value travels on stdin only.
printf '%s\n' "$SECRET" | "$WM" config set --stdin API_TOKEN >"$WORK/out" 2>&1 ||
    { cat "$WORK/out"; fail "config set --stdin"; }
expect_contains "$(cat "$WORK/out")" "Stored config set API_TOKEN on local" "set output"
expect_contains "$(cat "$WORK/out")" "Released app v1 to production" "set re-releases"
expect_eq "$(get API_TOKEN)" "$SECRET" "the running instance has the secret"
ps -eo args >"$WORK/ps.txt"
if grep -qF -- "$SECRET" "$WORK/ps.txt" "$WORK/out"; then fail "the secret is in an argv or wm's output"; fi
for slug in "$WM_HOME"/slugs/*.tar.zst; do
    if tar --zstd -xOf "$slug" | grep -aqF -- "$SECRET"; then fail "the secret is in $slug"; fi
done
if grep -rqF --exclude-dir=local -- "$SECRET" "$WM_HOME"; then
    fail "the secret is in the state dir (journal, caches): $(grep -rlF --exclude-dir=local -- "$SECRET" "$WM_HOME")"
fi
expect_contains "$("$WM" deployments list)" "config set API_TOKEN" "recorded as a deployment"
expect_contains "$("$WM" deployments show v1)" "what    config set API_TOKEN" "deployments show"

# list: names and sources; values only with --reveal.
list=$("$WM" config list)
expect_contains "$list" "app    API_TOKEN  server" "list names the source"
expect_contains "$list" "app    MODE       stack" "a manifest value"
if grep -qF -- "$SECRET" <<<"$list"; then fail "list shows the value without --reveal"; fi
expect_contains "$("$WM" config list --reveal)" "$SECRET" "list --reveal"
expect_eq "$("$WM" config list --json | jq -c '.[] | select(.name == "API_TOKEN")')" \
    '{"name":"API_TOKEN","source":"server","stack":"app"}' "list --json hides the value"
expect_eq "$("$WM" config list --json --reveal | jq -r '.[] | select(.name == "API_TOKEN") | .value')" \
    "$SECRET" "list --json --reveal"

# Server config wins over the manifest; unset gives the manifest's back.
"$WM" config set MODE=server >/dev/null 2>&1 || fail "config set MODE"
expect_eq "$(get MODE)" "server" "server config wins"
expect_contains "$("$WM" config list)" "app    MODE       server" "list shows the winner"
"$WM" config unset MODE API_TOKEN >/dev/null 2>&1 || fail "config unset"
expect_eq "$(get MODE)" "manifest" "unset: the manifest's value again"
expect_eq "$(get API_TOKEN)" "undefined" "unset: gone"
expect_eq "$("$WM" deployments show v3 --json | jq -r .description)" \
    "config unset API_TOKEN, MODE" "unset recorded"
# Rollback restores the config that release ran with.
"$WM" rollback v1 >/dev/null 2>&1 || fail "rollback v1"
expect_eq "$(get API_TOKEN)" "$SECRET" "rollback to v1 brings its config back"

# Usage errors exit 2 and name the variable.
set +e
"$WM" config set 1X=y >/dev/null 2>"$WORK/err"; rc=$?
set -e
expect_eq "$rc" "2" "a bad name is a usage error"
expect_contains "$(cat "$WORK/err")" "config 1X: not a variable name" "bad name message"

# Scale: the number of answering instances follows; ps shows the count and its origin.
answering() { for _ in $(seq 12); do curl -fsS -m 5 "$URL/"; done | sort -u | wc -l; }
expect_eq "$(answering)" "2" "two instances answer before scaling"
"$WM" scale web=3 >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "scale web=3"; }
expect_contains "$(cat "$WORK/out")" "Scaled app v1: web=3 (instances per server)" "scale output"
expect_eq "$(answering)" "3" "three instances answer after web=3"
expect_contains "$("$WM" ps)" "stack app: web x3 per server (wm scale (manifest: 2))" "ps count"
expect_eq "$("$WM" ps --json | jq -r '[.[] | select(.service == "web")] | length')" "3" "ps --json"
"$WM" scale web=1 --json >"$WORK/out" 2>/dev/null || fail "scale web=1"
expect_eq "$(tail -1 "$WORK/out" | jq -c .instances)" '{"web":1}' "scale --json"
expect_eq "$(answering)" "1" "one instance answers after web=1"

# Restart: new instance names, same release.
before=$("$WM" ps --json | jq -r '[.[].name] | sort | join(",")')
"$WM" restart >/dev/null 2>&1 || fail "restart"
after=$("$WM" ps --json | jq -r '[.[].name] | sort | join(",")')
case "$before,$after" in
    hello-node.production.app.web.v1.*,hello-node.production.app.web.v1.*) ;;
    *) fail "restart: one v1 instance before and after, got $before then $after" ;;
esac
[ "$before" != "$after" ] || fail "restart kept the instance $before"
expect_eq "$(get API_TOKEN)" "$SECRET" "the restarted instance keeps the release's config"
echo ok
