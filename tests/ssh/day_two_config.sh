#!/bin/bash
# Day two on 2 fresh-root test hosts: a secret set with `wm config set --stdin` is stored on both
# servers (root only, 0600) and reaches the instances behind both proxies, in no argv there;
# `wm scale` changes the number of answering instances under constant load with zero non-2xx;
# `wm restart` rolls the instances under load too.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(1 2) # hosts of deploy_failures and deploy_sandbox: 4-9 stay fresh for the install tests
setup_rack "${H[@]}"
# The example app also answers GET /env/NAME with that variable and GET /port with its $PORT.
cat > env.js <<'JS'
const http = require("http");
const orig = http.createServer;
http.createServer = (handler) => orig((req, res) => {
  const m = req.url.match(/^\/env\/(\w+)$/);
  if (m) return res.end(String(process.env[m[1]]) + "\n");
  if (req.url === "/port") return res.end(process.env.PORT + "\n");
  return handler(req, res);
});
require("./server.js");
JS
sed -i 's/command: node server.js/command: node env.js/' widemesh.yaml
commit_all "env echo"
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy"; }

SECRET="day-two-$RANDOM$RANDOM"
out=$(printf '%s' "$SECRET" | wm config set --stdin API_TOKEN 2>&1) || { echo "$out"; fail "config set"; }
expect_contains "$out" "Stored config set API_TOKEN on $(addr 1), $(addr 2)" "stored on both"
expect_contains "$out" "Released app v1 to production" "re-released"
if grep -qF -- "$SECRET" <<<"$out"; then fail "the secret is in wm's output"; fi
for i in "${H[@]}"; do
  expect_eq "$(alias_get "$i" /env/API_TOKEN)" "$SECRET" "the instance behind $(hname "$i")'s proxy has it"
  expect_eq "$(tb ssh "$i" 'stat -c "%a %U" /var/lib/widemesh/apps/hello-node/production/.config/API_TOKEN /var/lib/widemesh/apps/hello-node/production/.config')" \
    "$(printf '600 root\n700 root')" "stored root-only on $(hname "$i")"
  if tb ssh "$i" 'cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\0" " "' | grep -qF -- "$SECRET"; then
    fail "the secret is in an argv on $(hname "$i")"
  fi
done
expect_contains "$(wm config list)" "app    API_TOKEN  server" "list"
if wm config list --reveal | grep -q hash_key; then fail "the hash key is listed as config"; fi
# The fingerprint covers the secret, so it is keyed: the key is the first server's, root-only.
expect_eq "$(tb ssh 1 'stat -c "%a %U %s" /var/lib/widemesh/apps/hello-node/production/.config/.hash_key')" \
  "600 root 64" "the hash key is root-only on $(hname 1)"
wm deployments show v1 --json | grep -Eq '"fingerprint": ?"[0-9a-f]{64}"' || fail "v1 has a fingerprint"

# Scale up and down under constant load through host 1's proxy.
answering() { for _ in $(seq 16); do alias_get "$1" /port; done | sort -u | wc -l; }
expect_eq "$(answering 1)" "2" "2 instances answer behind $(hname 1)"
load_start 1
wm scale web=3 >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "scale web=3"; }
for i in "${H[@]}"; do expect_eq "$(answering "$i")" "3" "3 instances behind $(hname "$i")"; done
wm scale web=1 >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "scale web=1"; }
for i in "${H[@]}"; do expect_eq "$(answering "$i")" "1" "1 instance behind $(hname "$i")"; done
wm restart >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "restart"; }
load_stop
echo "load: $LOAD_OK ok, $LOAD_BAD non-2xx, $LOAD_SOCKET socket errors" >&2
expect_eq "$LOAD_BAD" 0 "non-2xx while scaling and restarting"
expect_eq "$LOAD_SOCKET" 0 "socket errors while scaling and restarting"
[ "$LOAD_OK" -gt 20 ] || fail "too few requests under load: $LOAD_OK"
expect_contains "$(wm ps)" "stack app: web x1 per server (wm scale (manifest: 2))" "ps shows the count"
logs=$(wm logs --since 10m)
grep -Eq " scale v1 $(addr 2) \| web=3 by [^ ]+@[^ ]+\$" <<<"$logs" || fail "the event log says who scaled: $logs"
for i in "${H[@]}"; do
  expect_eq "$(alias_get "$i" /env/API_TOKEN)" "$SECRET" "still there after the restart on $(hname "$i")"
done
echo ok
