#!/bin/bash
# ~/.ssh/config with OpenSSH's own semantics (`ssh -G`), for wm rack and wm deploy alike: the
# server is a Host alias kept in an `Include conf.d/*.conf` file, and a `Match` block gives its
# user and key; a later `Host *` User (first value wins) must not apply.
# OpenSSH reads ~ from the passwd entry, not $HOME: the test's home is bind-mounted over it in a
# mount namespace of its own, so relative Includes resolve inside the test's directory.
if [ -z "${WM_TEST_PRIVATE_MOUNTS:-}" ]; then
  exec env WM_TEST_PRIVATE_MOUNTS=1 unshare --mount --propagation private -- bash "$0" "$@"
fi
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
pw_home=$(getent passwd "$(id -un)" | cut -d: -f6)
mount --bind "$HOME" "$pw_home"
export HOME=$pw_home
A=$(addr 3)
reset_host 3
mkdir -p "$HOME/.ssh/conf.d"
cp "$TB/id_ed25519" "$HOME/.ssh/tb_key"
printf 'Host tb-one\n  HostName %s\n' "$A" > "$HOME/.ssh/conf.d/testbed.conf"
printf 'Include conf.d/*.conf\nMatch host %s\n  User root\n  IdentityFile ~/.ssh/tb_key\nHost *\n  User nobody\n' \
  "$A" > "$HOME/.ssh/config"
mkdir -p "$ST" && cp "$TB/known_hosts" "$ST/known_hosts"

wm rack add cfg --server tb-one > /dev/null
expect_eq "$(wm rack exec cfg -- 'echo $(id -un)@$(hostname)' 2>/dev/null)" "tb-one: root@$(hname 3)" "rack exec through the config"

cp -r "$WM_SOURCE_DIR/examples/node" "$WORK/app" && cd "$WORK/app"
write_manifest "      - tb-one" "echo migrated"
git init -q . && commit_all "initial"
wm rack bootstrap trio > /dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "bootstrap through the config"; }
out=$(wm deploy 2>"$WORK/err") || { cat "$WORK/err"; fail "deploy through the config"; }
expect_contains "$out" "(servers: tb-one)" "deploy names the alias"
expect_eq "$(alias_get 3 /)" "hello from node" "deployed through the config"

# A config OpenSSH refuses is reported with its own words.
echo "Hots typo" >> "$HOME/.ssh/config"
err=$(wm rack exec cfg -- true 2>&1) && fail "a broken config was accepted"
expect_contains "$err" "resolving tb-one with \`ssh -G\`: $HOME/.ssh/config: line 7: Bad configuration option: hots" "ssh -G error"
echo ok
