#!/bin/bash
# On 3 fresh test hosts (init-less: PID 1 only runs sshd): rack add, first contact, status,
# bootstrap twice (the first installs the tools and starts runsvdir, the second is a no-op), exec.
source "$(dirname "$0")/../testbed/lib.sh"
H=(7 8 9)
for i in "${H[@]}"; do reset_host "$i"; done
A7=$(addr 7) A8=$(addr 8) A9=$(addr 9)

wm rack add trio --server "root@$A7" --server "$A8:22" --server "$A9" --key "$TB/id_ed25519" --region eu > /dev/null
expect_eq "$(wm rack list | awk '$1=="trio"{print $1,$2,$3,$4,$5}')" "trio static eu registered $A7,$A8,$A9" "rack list"

# First contact without a terminal and without --accept-new: refused, naming the fingerprint.
out=$(wm rack status trio < /dev/null 2>&1) && fail "unknown host keys were accepted"
expect_contains "$out" "$A7: unreachable: host key of $A7 is not known: ssh-ed25519 SHA256:" "unknown key refused"
expect_contains "$out" "hint: check the fingerprint, then run again with --accept-new" "unknown key hint"
[ ! -e "$ST/known_hosts" ] || fail "known_hosts written without consent"

out=$(wm rack status trio --accept-new 2>&1 < /dev/null)
expect_contains "$out" "recorded new host key of $A8: ssh-ed25519 SHA256:" "first contact reported"
for a in $A7 $A8 $A9; do
  grep -q "^$a ssh-ed25519 " "$ST/known_hosts" || fail "key of $a not recorded"
  expect_contains "$out" "$a: reachable, rtt " "status line of $a"
  expect_contains "$out" "runit no, caddy no, bubblewrap no, layout none (run wm rack bootstrap)" "tools"
done
json=$(wm rack status trio --json)
expect_eq "$(echo "$json" | python3 -c 'import json,sys; print(*[str(s["reachable"]).lower() for s in json.load(sys.stdin)["servers"]])')" "true true true" "status --json"

out=$(wm rack bootstrap trio)
for a in $A7 $A8 $A9; do
  expect_contains "$out" "$a: installed runit caddy bubblewrap curl zstd" "bootstrap installs the tools on $a"
  for d in slugs apps service proxy locks logs; do
    expect_contains "$out" "$a: created /var/lib/widemesh/$d" "bootstrap creates $d on $a"
  done
  expect_contains "$out" "$a: wrote /var/lib/widemesh/VERSION (layout 2)" "VERSION on $a"
  # No init and no system runsvdir: bootstrap starts its own (the runit package starts none).
  expect_contains "$out" "$a: started runsvdir (detached, pid " "runsvdir started on $a"
done
for i in "${H[@]}"; do
  expect_eq "$(tb ssh "$i" cat /var/lib/widemesh/VERSION)" 2 "VERSION file on $(hname "$i")"
  exe=$(tb ssh "$i" 'readlink /proc/$(cat /var/lib/widemesh/runsvdir.pid)/exe')
  expect_eq "$exe" /usr/bin/runsvdir "runsvdir of the pid file runs on $(hname "$i")"
  tb ssh "$i" 'command -v node python3' && fail "no stack declared, yet a runtime on $(hname "$i")"
done

expect_eq "$(wm rack bootstrap trio)" "$A7: unchanged
$A8: unchanged
$A9: unchanged" "second bootstrap is a no-op"

expect_eq "$(wm rack exec trio -- hostname 2>/dev/null | sort)" "$A7: $(hname 7)
$A8: $(hname 8)
$A9: $(hname 9)" "exec output prefixed by server"
err=$(wm rack exec trio -- 'echo to-err >&2; test "$(hostname)" != '"$(hname 8)" 2>&1 >/dev/null) && fail "exec should fail"
expect_contains "$err" "$A8: to-err" "stderr prefixed"
expect_contains "$err" "$A8: exit 1" "exit status per server"
expect_contains "$err" "$A7: exit 0" "exit status per server"
expect_contains "$err" "wm: error: 1 of 3 servers failed" "summary"

wm rack remove trio > /dev/null
[ ! -e "$ST/racks/trio.json" ] || fail "rack not removed"
echo ok
