#!/bin/bash
# Jump hosts: two hosts on an inner network that only host 10 reaches (the control machine has no
# route there). The manifest's `jump:` and ~/.ssh/config's ProxyJump both reach them over the
# jump host's session (direct-tcpip channels), checking the host key of every hop.
source "$(dirname "$0")/../testbed/lib.sh"
G=10 I=(13 14) # 11 and 12 are deploy_examples' hosts on the outer network
for i in "${I[@]}"; do tb inner "$G" "$i" > /dev/null; done
AG=$(addr "$G") A11=$(addr "${I[0]}") A12=$(addr "${I[1]}")
# (No SSH banner: this machine's default route may accept any TCP connection, answering nothing.)
timeout 2 bash -c "exec 3<>/dev/tcp/$A11/22 && head -c 4 <&3" 2>/dev/null | grep -q SSH &&
  fail "the control machine reaches $A11 directly"
mkdir -p "$ST" "$HOME/.ssh" && cp "$TB/known_hosts" "$ST/known_hosts"
cp "$TB/id_ed25519" "$HOME/.ssh/id_ed25519" # a default key: the jump host authenticates with it

# The manifest: a rack behind a bastion.
mkdir -p "$WORK/app" && cd "$WORK/app"
cat > widemesh.yaml <<YAML
app: inner
racks:
  deep:
    jump: root@$AG
    servers: [$A11, $A12]
environments:
  production:
    racks: [deep]
stacks:
  app: {}
YAML
expect_eq "$(wm rack exec deep -- hostname 2>"$WORK/err" | sort)" "$A11: $(hname "${I[0]}")
$A12: $(hname "${I[1]}")" "rack exec through the manifest's jump host" || cat "$WORK/err"
out=$(wm rack status deep 2>&1)
expect_contains "$out" "$A12: reachable, rtt " "rack status through the jump host"

# ~/.ssh/config's ProxyJump, for a registered rack.
cd "$WORK"
printf 'Host %s\n  ProxyJump root@%s\n' "${A11%.*}.*" "$AG" > "$HOME/.ssh/config"
wm rack add far --server "$A11" > /dev/null
expect_eq "$(wm rack exec far -- hostname 2>"$WORK/err")" "$A11: $(hname "${I[0]}")" "rack exec through ProxyJump"

# Host keys are verified at every hop: a changed key of the inner host, then of the jump host.
ssh-keygen -q -t ed25519 -N '' -f "$WORK/other"
cp "$ST/known_hosts" "$WORK/known_hosts.good"
sed -i "s|^$A11,\S* .*|$A11 $(cut -d' ' -f1,2 "$WORK/other.pub")|" "$ST/known_hosts"
err=$(wm rack exec far -- true 2>&1) && fail "a changed key behind the jump host was accepted"
expect_contains "$err" "host key of $A11 has changed" "inner host key checked"
cp "$WORK/known_hosts.good" "$ST/known_hosts"
sed -i "s|^$AG,\S* .*|$AG $(cut -d' ' -f1,2 "$WORK/other.pub")|" "$ST/known_hosts"
err=$(wm rack exec far -- true 2>&1) && fail "a changed key of the jump host was accepted"
expect_contains "$err" "host key of $AG has changed" "jump host key checked"
echo ok
