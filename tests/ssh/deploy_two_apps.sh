#!/bin/bash
# Two apps (different `app:`, a stack of the same name) share a rack of 2 test hosts: each
# answers its own body through every proxy under its own alias, and keeps answering (no
# non-2xx) while the other redeploys; `wm rack status` lists both on each server.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(4 5) # hosts of deploy_three_hosts; setup_rack resets them
setup_rack "${H[@]}"
NODE="$WORK/app"

SHOP="$WORK/shop"
cp -r "$WM_SOURCE_DIR/examples/node" "$SHOP"
cd "$SHOP"
sed -i 's/hello from node/hello from shop/' server.js
cp "$NODE/widemesh.yaml" . && sed -i 's/^app: hello-node$/app: shop/' widemesh.yaml
git init -q . && commit_all "initial"
shop_get() { curl -fsS -m 5 -H 'Host: shop-production.wm.test' "http://$(addr "$1")$2"; }

cd "$NODE" && { wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy hello-node"; }; }
cd "$SHOP" && out=$(wm deploy 2>"$WORK/err") || { cat "$WORK/err"; fail "deploy shop"; }
expect_contains "$out" "http://shop-production.wm.test (servers: $(addr 4), $(addr 5))" "shop's alias"
for i in "${H[@]}"; do
  expect_eq "$(alias_get "$i" /)" "hello from node" "hello-node's body on $(hname "$i")"
  expect_eq "$(shop_get "$i" /)" "hello from shop" "shop's body on $(hname "$i")"
done

# shop redeploys under load on hello-node's alias, then hello-node under load on shop's.
load_start 4
sed -i 's/hello from shop/hello again from shop/' server.js && commit_all "second"
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "redeploy shop"; }
load_stop
echo "hello-node while shop redeployed: $LOAD_OK ok, $LOAD_BAD non-2xx, $LOAD_SOCKET socket errors" >&2
expect_eq "$LOAD_BAD" 0 "hello-node: non-2xx while shop redeployed"
[ "$LOAD_OK" -gt 10 ] || fail "too few requests to hello-node: $LOAD_OK"

: > "$WORK/shop.log"
rm -f "$WORK/shop.stop"
( while [ ! -e "$WORK/shop.stop" ]; do
    curl -s -o /dev/null -m 5 -w '%{http_code}\n' -H 'Host: shop-production.wm.test' "http://$(addr 5)/" >> "$WORK/shop.log" || true
  done ) &
SHOP_LOAD=$!
cd "$NODE"
sed -i 's/hello from node/hello again from node/' server.js && commit_all "second"
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "redeploy hello-node"; }
touch "$WORK/shop.stop" && wait "$SHOP_LOAD"
echo "shop while hello-node redeployed: $(grep -c '^2' "$WORK/shop.log") ok of $(wc -l < "$WORK/shop.log")" >&2
expect_eq "$(grep -vc '^2' "$WORK/shop.log")" 0 "shop: non-2xx while hello-node redeployed"
[ "$(grep -c '^2' "$WORK/shop.log")" -gt 10 ] || fail "too few requests to shop"

for i in "${H[@]}"; do
  expect_eq "$(alias_get "$i" /)" "hello again from node" "hello-node's new body on $(hname "$i")"
  expect_eq "$(shop_get "$i" /)" "hello again from shop" "shop's new body on $(hname "$i")"
done
status=$(wm rack status trio)
for i in "${H[@]}"; do
  expect_contains "$status" "$(addr "$i"): reachable" "status of $(hname "$i")"
done
expect_eq "$(grep -c '^  serves hello-node/production (app v1)$' <<<"$status")" 2 "hello-node listed on both"
expect_eq "$(grep -c '^  serves shop/production (app v1)$' <<<"$status")" 2 "shop listed on both"
echo ok
