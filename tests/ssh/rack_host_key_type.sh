#!/bin/bash
# A server that presents a key of another type than the one recorded is refused exactly like a
# changed key (never treated as unknown and recorded); forget-host recovers.
source "$(dirname "$0")/../testbed/lib.sh"
A=$(addr 9)
wm rack add one --server "$A" --key "$TB/id_ed25519" > /dev/null
real_fp=$(awk -v a="$A" '{split($1, h, ","); if (h[1] == a) print $2, $3}' "$TB/known_hosts" |
  ssh-keygen -lf - | awk '{print $2}')
[ -n "$real_fp" ] || fail "no key of $A in $TB/known_hosts"

# Record an ECDSA key for the host: the server presents its ed25519 key.
ssh-keygen -q -t ecdsa -N '' -f "$WORK/other"
other_fp=$(ssh-keygen -lf "$WORK/other.pub" | awk '{print $2}')
echo "$A $(cut -d' ' -f1,2 "$WORK/other.pub")" > "$ST/known_hosts"

err=$(wm rack exec one --accept-new -- true 2>&1) && fail "a key of another type was accepted"
expect_contains "$err" "$A: failed: host key of $A has changed: $ST/known_hosts:1 has ecdsa-sha2-nistp256 $other_fp, the server presented ssh-ed25519 $real_fp; refusing to connect" "other key type refused"
expect_contains "$err" "hint: if the change is expected, run \`wm rack forget-host $A\` (or delete line 1 of $ST/known_hosts)" "fix shown"
expect_eq "$(wc -l < "$ST/known_hosts")" "1" "nothing recorded"

expect_eq "$(wm rack forget-host "$A")" "removed 1 key of $A from $ST/known_hosts" "forget-host"
wm rack exec one --accept-new -- true > /dev/null 2>&1 || fail "reconnect after forget-host"
echo ok
