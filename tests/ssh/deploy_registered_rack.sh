#!/bin/bash
# A rack registered with `wm rack add` (not declared in widemesh.yaml) can be named by an
# environment and deployed to: the manifest and the state dir's racks are one inventory.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(1 2) # hosts of deploy_failures: 7-9 stay fresh for rack_lifecycle
for i in "${H[@]}"; do
  tb ssh "$i" 'p=$(cat /var/lib/widemesh/runsvdir.pid 2>/dev/null) && kill -HUP "$p" && sleep 1; true' >/dev/null
  reset_host "$i"
done
mkdir -p "$ST" && cp "$TB/known_hosts" "$ST/known_hosts"
wm rack add edge --server "root@$(addr 1)" --server "root@$(addr 2)" --key "$TB/id_ed25519" \
  --alias-domain wm.test >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "rack add"; }

cp -r "$WM_SOURCE_DIR/examples/node" "$WORK/app" && cd "$WORK/app"
cat > widemesh.yaml <<'YAML'
app: hello-node
build: local
environments:
  production:
    racks: [edge]
YAML
git init -q . && commit_all "initial"

wm rack bootstrap edge >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "bootstrap"; }
out=$(wm validate 2>&1) || { echo "$out"; fail "validate with a registered rack"; }
# First contact from deploy itself: refused off a terminal, recorded with --accept-new.
: > "$ST/known_hosts"
err=$(wm ps 2>&1) && fail "an unknown host key was accepted off a terminal"
expect_contains "$err" "host key of $(addr 1) is not known: ssh-ed25519 SHA256:" "unknown key refused"
out=$(wm deploy --accept-new 2>"$WORK/err") || { cat "$WORK/err"; fail "deploy to a registered rack"; }
expect_contains "$(cat "$WORK/err")" "recorded new host key of $(addr 2): ssh-ed25519 SHA256:" "deploy --accept-new records"
expect_eq "$(wc -l < "$ST/known_hosts")" "2" "both keys recorded"
expect_contains "$out" "http://hello-node-production.wm.test (servers: $(addr 1), $(addr 2))" "urls"
if grep -q shadowed "$WORK/err"; then fail "a registered rack warned as shadowed by itself"; fi
for i in "${H[@]}"; do
  expect_eq "$(alias_get "$i" /)" "hello from node" "body on $(hname "$i")"
done
echo ok
