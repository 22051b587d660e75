#!/bin/bash
# The first minute on the local rack: deploy an example, switch to a new commit, list, ps,
# redeploy the same commit (nothing uploaded), roll back.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
local_manifest "$PORT" </dev/null
commit_all "manifest"
URL="http://hello-node-production.localhost:$PORT"

out=$("$WM" deploy 2>"$WORK/err") || { cat "$WORK/err"; fail "first deploy"; }
expect_contains "$out" "Deployed app v0" "deploy output"
expect_contains "$out" "$URL" "deploy prints the URL"
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "body after v0"
headers=$(curl -fsS -m 5 "$URL/headers")
for h in x-forwarded-for x-real-ip x-forwarded-proto x-forwarded-port x-forwarded-host x-request-id; do
    expect_contains "$headers" "\"$h\"" "header reaches the app"
done

sed -i 's/hello from node/hello again/' server.js && commit_all "second"
"$WM" deploy 2>"$WORK/err" >/dev/null || { cat "$WORK/err"; fail "second deploy"; }
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello again" "body after v1"

list=$("$WM" deployments list)
expect_contains "$list" "   v0       app    succeeded" "list v0"
expect_contains "$list" "*  v1       app    succeeded" "list v1 current"
show=$("$WM" deployments show v1)
expect_contains "$show" "deployment v1 of production app: succeeded" "show header"
expect_contains "$show" "==> Starting the new release on rack local" "show log"
ps=$("$WM" ps)
expect_contains "$ps" "local   hello-node.production.app.web.v1.1  v1" "ps"
expect_eq "$("$WM" services list --json | jq -r '.[0].state')" "run" "services list --json"

# Same commit again: the build is reused, nothing is uploaded, nothing restarts.
json=$("$WM" deploy --json 2>/dev/null | tail -n 1)
expect_eq "$(jq -c '.stacks[0].uploaded_to' <<<"$json")" "[]" "redeploy uploads nothing"
expect_eq "$(jq -r '.stacks[0].reused_build' <<<"$json")" "true" "redeploy reuses the build"
expect_eq "$(jq -r '.stacks[0].version' <<<"$json")" "1" "redeploy keeps v1"
expect_eq "$(jq -r '.stacks[0].unchanged' <<<"$json")" "true" "redeploy changes nothing"

out=$("$WM" rollback v0 2>/dev/null)
expect_eq "$out" "Rolled production app back from v1 to v0
  $URL" "rollback output"
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "body after rollback"
expect_contains "$("$WM" deployments list)" "*  v0" "v0 current after rollback"
expect_contains "$("$WM" lock status)" "local   (free)" "lease released"
echo "ok"
