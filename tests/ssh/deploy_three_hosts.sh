#!/bin/bash
# Deploys an example to a static rack of 3 test hosts: every proxy answers for the platform
# alias with the new body and the six headers; zero non-2xx under constant load during 5
# deploys and 1 rollback; redeploying the same commit uploads nothing.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(4 5 6)
setup_rack "${H[@]}"
for i in "${H[@]}"; do # fresh hosts: the base tools and the node stack's run package
  expect_contains "$BOOTSTRAP_OUT" "$(addr "$i"): installed runit caddy bubblewrap curl zstd nodejs" "bootstrap of $(hname "$i")"
done

out=$(wm deploy 2>"$WORK/err") || { cat "$WORK/err"; fail "first deploy"; }
expect_contains "$out" "Deployed app v0" "deploy output"
expect_contains "$out" "http://hello-node-production.wm.test (servers: $(addr 4), $(addr 5), $(addr 6))" "urls"
for i in "${H[@]}"; do
  expect_eq "$(alias_get "$i" /)" "hello from node" "body on $(hname "$i")"
  headers=$(alias_get "$i" /headers)
  for h in x-forwarded-for x-real-ip x-forwarded-proto x-forwarded-port x-forwarded-host x-request-id; do
    expect_contains "$headers" "\"$h\"" "$h reaches the app on $(hname "$i")"
  done
done

# Constant load through host 4's proxy (curl loop) while deploying 5 times and rolling back once.
load_start 4
for n in 1 2 3 4 5; do
  sed -i "s/hello from node[^\"]*/hello from node $n/" server.js && commit_all "change $n"
  wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy $n under load"; }
  expect_eq "$(alias_get 5 /)" "hello from node $n" "body after deploy $n"
done
wm rollback >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "rollback under load"; }
expect_eq "$(alias_get 6 /)" "hello from node 4" "body after rollback"
load_stop
echo "load: $LOAD_OK ok, $LOAD_BAD non-2xx, $LOAD_SOCKET socket errors" >&2
expect_eq "$LOAD_BAD" 0 "non-2xx responses during deploys"
[ "$LOAD_OK" -gt 50 ] || fail "too few requests under load: $LOAD_OK"

# The same commit again: nothing uploaded anywhere.
json=$(wm deploy --json 2>/dev/null | tail -n 1)
expect_eq "$(jq -c '.stacks[0].uploaded_to' <<<"$json")" "[]" "redeploy uploads nothing"
echo ok
