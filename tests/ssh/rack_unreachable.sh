#!/bin/bash
# An unreachable server is reported by name and reason within the connect timeout while the
# others succeed.
source "$(dirname "$0")/../testbed/lib.sh"
A9=$(addr 9) A10=$(addr 10)
NONE=${A9%.*}.99 # in the testbed's network, no host there
wm rack add mixed --server "$A9" --server "$NONE" --server "$A10" --key "$TB/id_ed25519" > /dev/null
start=$(date +%s%N)
err=$(wm rack exec mixed --accept-new --connect-timeout 3 -- hostname 2>&1) && fail "exec should fail"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_contains "$err" "$A9: $(hname 9)" "reachable host ran the command"
expect_contains "$err" "$A10: exit 0" "reachable host status"
expect_contains "$err" "$NONE: failed: cannot connect to $NONE port 22: " "unreachable host named"
expect_contains "$err" "wm: error: 1 of 3 servers failed" "summary"
[ "$ms" -lt 4500 ] || fail "took ${ms} ms with a 3 s connect timeout"
out=$(wm rack status mixed --connect-timeout 3 2>&1) && fail "status should fail"
expect_contains "$out" "$NONE: unreachable: cannot connect to $NONE port 22: " "status reason"
expect_contains "$out" "$A9: reachable" "others reachable"
echo "ok ($ms ms; $(echo "$err" | grep "$NONE"))"
