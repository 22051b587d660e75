#!/bin/bash
# First contact on a terminal asks OpenSSH's question with the fingerprint: only "yes" records
# the key; off a terminal an unknown key is refused (unless --accept-new).
source "$(dirname "$0")/../testbed/lib.sh"
A=$(addr 10)
wm rack add one --server "$A" --key "$TB/id_ed25519" > /dev/null
fp=$(awk -v a="$A" '{split($1, h, ","); if (h[1] == a) print $2, $3}' "$TB/known_hosts" |
  ssh-keygen -lf - | awk '{print $2}')
on_tty() { # answer CMD...: runs wm on a pseudo-terminal (script(1)) that types `answer`
  local answer=$1; shift
  printf '%s\n' "$answer" | script -qec "$(printf '%q ' "$WM" --state-dir "$ST" "$@")" /dev/null
}

out=$(on_tty no rack exec one -- true 2>&1) && fail "a refused key connected"
expect_contains "$out" "The authenticity of host '$A' can't be established." "question asked"
expect_contains "$out" "ssh-ed25519 key fingerprint is $fp." "fingerprint shown"
expect_contains "$out" "Are you sure you want to continue connecting (yes/no)?" "yes/no"
expect_contains "$out" "host key of $A was not accepted: ssh-ed25519 $fp" "no refuses"
[ ! -s "$ST/known_hosts" ] || fail "a refused key was recorded: $(cat "$ST/known_hosts")"

err=$(wm rack exec one -- true 2>&1 </dev/null) && fail "unknown key accepted off a terminal"
expect_contains "$err" "host key of $A is not known: ssh-ed25519 $fp" "refused off a terminal"

out=$(on_tty yes rack exec one -- true 2>&1) || fail "yes did not connect: $out"
expect_contains "$out" "recorded new host key of $A: ssh-ed25519 $fp" "yes records"
expect_eq "$(wc -l < "$ST/known_hosts")" "1" "one key recorded"
wm rack exec one -- true > /dev/null 2>&1 </dev/null || fail "the recorded key is not trusted"
echo ok
