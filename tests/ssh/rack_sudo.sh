#!/bin/bash
# A login user with passwordless sudo works like root (cloud images log in as admin, debian or
# ubuntu with root login disabled): bootstrap, deploy and rack exec run as root through sudo,
# uploads end up owned by root. A user whose sudo asks for a password is refused with what to
# change, before anything runs.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=3 # shared with deploy_failures and transport_ssh_config; neither looks at users or sudo
tb ssh "$H" 'p=$(cat /var/lib/widemesh/runsvdir.pid 2>/dev/null) && kill -HUP "$p" && sleep 1; true' >/dev/null
reset_host "$H"
# The fresh host has no sudo: install it, and two users with root's key: one that may sudo
# without a password, one whose sudo asks for one (its password is locked: it never can).
tb ssh "$H" '
  command -v sudo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo; } >/dev/null
  for u in admin locked; do
    id "$u" >/dev/null 2>&1 || useradd -m -s /bin/sh "$u"
    usermod -p "*" "$u" # no password, yet not "locked" ("!"): sshd refuses locked accounts
    mkdir -p "/home/$u/.ssh" && cp /root/.ssh/authorized_keys "/home/$u/.ssh/" && chown -R "$u:" "/home/$u/.ssh"
  done
  echo "admin ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/admin
  echo "locked ALL=(ALL) ALL" > /etc/sudoers.d/locked
  chmod 0440 /etc/sudoers.d/admin /etc/sudoers.d/locked' || fail "preparing users on $(hname $H)"
A=$(addr "$H")
mkdir -p "$ST" && cp "$TB/known_hosts" "$ST/known_hosts"

wm rack add shy --server "locked@$A" --key "$TB/id_ed25519" >/dev/null
rc=0; err=$(wm rack exec shy -- id -u 2>&1) || rc=$?
expect_eq "$rc" 1 "a user without passwordless sudo fails"
expect_contains "$err" "$A: failed: user locked needs passwordless sudo (sudo asked for a password): add 'locked ALL=(ALL) NOPASSWD: ALL' to /etc/sudoers.d/locked, or log in as root" "the refusal says what to change"

wm rack add cloud --server "admin@$A" --key "$TB/id_ed25519" --alias-domain wm.test >/dev/null
out=$(wm rack exec cloud -- id -u 2>&1) || { echo "$out"; fail "rack exec as admin"; }
expect_contains "$out" "$A: 0" "commands run as root through sudo"

cp -r "$WM_SOURCE_DIR/examples/node" "$WORK/app" && cd "$WORK/app"
cat > widemesh.yaml <<'YAML'
app: hello-node
build: local
environments:
  production:
    racks: [cloud]
YAML
git init -q . && commit_all "initial"
wm rack bootstrap cloud >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "bootstrap as admin"; }
out=$(wm deploy 2>"$WORK/err") || { cat "$WORK/err"; fail "deploy as admin"; }
expect_contains "$out" "http://hello-node-production.wm.test" "deployed"
expect_eq "$(alias_get "$H" /)" "hello from node" "the app answers through the proxy"
# What wm uploaded is root's, and nothing stays behind in the login user's home.
owners=$(tb ssh "$H" 'find /var/lib/widemesh -not -user root -not -path "*/apps/*" | head -5; ls -A /home/admin | grep wm-upload || true')
expect_eq "$owners" "" "uploads are owned by root; no upload left in the user's home"
echo ok
