#!/bin/bash
# Authentication paths against real sshd: ~/.ssh/config Host entries, ssh-agent, an encrypted
# key without a terminal, and an RSA key (libssh2 1.10 cannot sign rsa-sha2).
source "$(dirname "$0")/../testbed/lib.sh"
A=$(addr 6)
authorize() { tb ssh 6 "cat >> .ssh/authorized_keys" < "$1"; } # adds a public key on host 6
mkdir -p "$ST" "$HOME/.ssh"
cp "$TB/known_hosts" "$ST/known_hosts"

# ~/.ssh/config: an alias with HostName, User, Port and IdentityFile.
printf 'Host tb6\n  HostName %s\n  User root\n  Port 22\n  IdentityFile %s\n' "$A" "$TB/id_ed25519" \
  > "$HOME/.ssh/config"
wm rack add cfg --server tb6 > /dev/null
expect_eq "$(wm rack exec cfg -- hostname 2>/dev/null)" "tb6: $(hname 6)" "ssh_config alias"
rm "$HOME/.ssh/config"

# ssh-agent holding the key; no key file given.
eval "$(ssh-agent -s)" > /dev/null
trap 'kill "$SSH_AGENT_PID" 2>/dev/null || true; tb ssh 6 "cat > .ssh/authorized_keys" < "$TB/id_ed25519.pub"; rm -rf "$WORK"' EXIT
ssh-add -q "$TB/id_ed25519" 2> /dev/null
wm rack add agent --server "$A" > /dev/null
expect_eq "$(wm rack exec agent -- hostname 2>/dev/null)" "$A: $(hname 6)" "ssh-agent"
kill "$SSH_AGENT_PID"; unset SSH_AUTH_SOCK

# An encrypted key and no terminal: a clear refusal, not a hang.
ssh-keygen -q -t ed25519 -N secret -f "$WORK/enc"
authorize "$WORK/enc.pub"
wm rack add enc --server "$A" --key "$WORK/enc" > /dev/null
err=$(wm rack exec enc -- true < /dev/null 2>&1) && fail "encrypted key without passphrase worked"
expect_contains "$err" "$A: failed: authentication as root failed: $WORK/enc: encrypted, and no terminal to ask for its passphrase (add it to ssh-agent)" "encrypted key"

# RSA: refused by OpenSSH >= 8.8 because libssh2 1.10 signs with ssh-rsa (SHA-1).
ssh-keygen -q -t rsa -b 2048 -N '' -f "$WORK/rsa"
authorize "$WORK/rsa.pub"
wm rack add rsa --server "$A" --key "$WORK/rsa" > /dev/null
err=$(wm rack exec rsa -- true < /dev/null 2>&1) && fail "rsa key worked?"
expect_contains "$err" "$A: failed: authentication as root failed: $WORK/rsa: " "rsa refused"
expect_contains "$err" "hint: libssh2 1.10 signs RSA keys only with ssh-rsa (SHA-1), which OpenSSH >= 8.8 refuses; use an ed25519 key (ssh-keygen -t ed25519) instead" "rsa hint"
echo ok
