#!/bin/bash
# Two repositories with different `app:` names and a stack of the same name ("app") share the
# local rack: each serves its own body under its own alias, a redeploy of one never touches the
# other's instances (same pids, no failed request meanwhile), `wm rack status local` lists both,
# and an app env whose alias another app env already has is refused before anything starts.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node # $WORK/app: app hello-node
PORT=$(free_port)
local_manifest "$PORT" </dev/null
commit_all "manifest"

SHOP="$WORK/shop"
cp -r "$WM_SOURCE_DIR/examples/node" "$SHOP"
cd "$SHOP"
sed -i 's/hello from node/hello from shop/' server.js
local_manifest "$PORT" </dev/null
sed -i 's/^app: hello-node$/app: shop/' widemesh.yaml
git init -q . && commit_all "initial"

NODE_URL="http://hello-node-production.localhost:$PORT"
SHOP_URL="http://shop-production.localhost:$PORT"
cd "$WORK/app" && "$WM" deploy 2>"$WORK/err" >/dev/null || { cat "$WORK/err"; fail "deploy hello-node"; }
cd "$SHOP" && out=$("$WM" deploy 2>"$WORK/err") || { cat "$WORK/err"; fail "deploy shop"; }
expect_contains "$out" "$SHOP_URL" "shop's deploy prints its alias"
expect_eq "$(curl -fsS -m 5 "$NODE_URL/")" "hello from node" "hello-node's body under its alias"
expect_eq "$(curl -fsS -m 5 "$SHOP_URL/")" "hello from shop" "shop's body under its alias"
expect_eq "$(ls "$WM_HOME/local/service" | grep -v '^proxy$' | sort | tr '\n' ' ')" \
    "hello-node.production.app.web.v0.1 shop.production.app.web.v0.1 " "instances keyed by app"
expect_eq "$(cd "$WM_HOME/local/apps" && ls -d */*/* | tr '\n' ' ')" \
    "hello-node/production/app shop/production/app " "releases keyed by app"

# A redeploy of shop (a new commit) leaves hello-node's instance alone and serving.
pid_of() { cat "$WM_HOME/local/service/$1/supervise/pid"; }
before=$(pid_of hello-node.production.app.web.v0.1)
(while [ ! -e "$WORK/stop" ]; do
    curl -s -o /dev/null -m 5 -w '%{http_code}\n' "$NODE_URL/" >> "$WORK/load.log" || true
    sleep 0.05
done) &
LOAD=$!
sed -i 's/hello from shop/hello again from shop/' server.js && commit_all "second"
"$WM" deploy 2>"$WORK/err" >/dev/null || { cat "$WORK/err"; fail "redeploy shop"; }
touch "$WORK/stop" && wait $LOAD
expect_eq "$(sort -u "$WORK/load.log")" "200" "hello-node answered every request meanwhile"
expect_eq "$(pid_of hello-node.production.app.web.v0.1)" "$before" "hello-node not restarted"
expect_eq "$(curl -fsS -m 5 "$SHOP_URL/")" "hello again from shop" "shop's new body"
expect_eq "$(curl -fsS -m 5 "$NODE_URL/")" "hello from node" "hello-node's body unchanged"
expect_eq "$(cd "$WORK/app" && "$WM" ps --json | jq -r '.[].name')" \
    "hello-node.production.app.web.v0.1" "ps lists only this app's instances"
expect_eq "$("$WM" deployments list --json | jq -r '.[].version' | tr '\n' ' ')" "0 1 " \
    "shop's history is its own"

status=$("$WM" rack status local)
expect_contains "$status" $'\n  serves hello-node/production (app v0)\n  serves shop/production (app v1)' \
    "rack status lists both apps"
expect_eq "$("$WM" rack status local --json | jq -c '[.servers[0].serves[] | [.app, .environment, .stacks[0].version]]')" \
    '[["hello-node","production",0],["shop","production",1]]' "rack status --json"

# App "hello" environment "node-production" would be hello-node-production.localhost too.
mkdir "$WORK/hello" && cd "$WORK/hello"
cp -r "$WM_SOURCE_DIR/examples/node/." .
printf 'app: hello\nracks:\n  local:\n    provider: local\n    http_port: %s\nenvironments:\n  node-production:\n    racks: [local]\n' "$PORT" > widemesh.yaml
git init -q . && commit_all "initial"
rc=0
"$WM" deploy -e node-production >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" "1" "alias clash exit code"
expect_contains "$(cat "$WORK/err")" "wm: error: server local: step prepare: platform alias hello-node-production.localhost of environment 'node-production' of app 'hello' is already served by environment 'production' of app 'hello-node' on this server; rename the app or the environment" "alias clash refused"
[ ! -e "$WM_HOME/local/apps/hello" ] || fail "the refused deploy created releases"
expect_eq "$(curl -fsS -m 5 "$NODE_URL/")" "hello from node" "hello-node still serves its alias"
echo ok
