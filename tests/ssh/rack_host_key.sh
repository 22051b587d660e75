#!/bin/bash
# A changed host key is refused with both fingerprints and the fix; forget-host recovers.
source "$(dirname "$0")/../testbed/lib.sh"
A=$(addr 10)
wm rack add one --server "$A" --key "$TB/id_ed25519" > /dev/null
wm rack exec one --accept-new -- true > /dev/null 2>&1
real_fp=$(ssh-keygen -lf "$TB/$(hname 10)/upper/etc/ssh/ssh_host_ed25519_key.pub" | awk '{print $2}')

# Replace the recorded key with another one, as if the server had been reinstalled.
ssh-keygen -q -t ed25519 -N '' -f "$WORK/other"
other_fp=$(ssh-keygen -lf "$WORK/other.pub" | awk '{print $2}')
echo "$A $(cut -d' ' -f1,2 "$WORK/other.pub")" > "$ST/known_hosts"

err=$(wm rack exec one --accept-new -- true 2>&1) && fail "changed host key accepted"
expect_contains "$err" "$A: failed: host key of $A has changed: $ST/known_hosts:1 has ssh-ed25519 $other_fp, the server presented ssh-ed25519 $real_fp; refusing to connect" "changed key refused"
expect_contains "$err" "hint: if the change is expected, run \`wm rack forget-host $A\` (or delete line 1 of $ST/known_hosts)" "fix shown"
grep -q "$(cut -d' ' -f2 "$WORK/other.pub")" "$ST/known_hosts" || fail "known_hosts was modified"

expect_eq "$(wm rack forget-host "$A")" "removed 1 key of $A from $ST/known_hosts" "forget-host"
wm rack exec one --accept-new -- true > /dev/null 2>&1 || fail "reconnect after forget-host"
echo ok
