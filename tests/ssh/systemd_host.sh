#!/bin/bash
# A server that boots systemd, as most VPSs do (the other hosts run no init): bootstrap puts wm's
# runsvdir under a systemd unit, widemesh.service; an example deploys and answers through the
# proxy; after the machine reboots, the unit brings the proxy and the instances back and the
# app answers again, and the next deploy works as before.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
S=15 # a host of its own: `up` starts 1-12 and transport_jump adds 13 and 14
tb systemd "$S" >&2 || fail "the systemd host $(hname "$S") did not start"
A=$(addr "$S")
expect_eq "$(tb ssh "$S" 'cat /proc/1/comm; systemctl is-active ssh')" "systemd
active" "$(hname "$S") boots systemd and sshd is its unit"

setup_rack "$S"
for c in "installed runit caddy bubblewrap curl zstd nodejs" "wrote /etc/systemd/system/widemesh.service" \
  "enabled widemesh.service" "started widemesh.service"; do
  expect_contains "$BOOTSTRAP_OUT" "$A: $c" "bootstrap on systemd: $c"
done
expect_eq "$(wm rack bootstrap trio 2>/dev/null)" "$A: unchanged" "the second bootstrap changes nothing"

# runsvdir is the unit's main process, and the caddy.service the package enabled is off.
# (runsvdir writes its services' errors over its last argument: that one is not compared.)
supervisor() {
  tb ssh "$S" 'p=$(systemctl show -p MainPID --value widemesh); readlink /proc/$p/exe
    tr "\0" "\n" < /proc/$p/cmdline | sed -n 2,3p; systemctl is-enabled widemesh caddy || true'
}
want="/usr/bin/runsvdir
-P
/var/lib/widemesh/service
enabled
disabled"
expect_eq "$(supervisor)" "$want" "widemesh.service runs runsvdir"

out=$(wm deploy 2>"$WORK/err") || { cat "$WORK/err"; fail "deploy to the systemd host"; }
expect_contains "$out" "Deployed app v0" "deploy output"
expect_eq "$(alias_get "$S" /)" "hello from node" "the app answers through the proxy"
grep -q 'started runsvdir' "$WORK/err" && fail "deploy started a runsvdir of its own: $(cat "$WORK/err")"

# A reboot: /run is new, the unit starts runsvdir again, runsvdir the proxy and instances.
tb ssh "$S" 'touch /run/before-reboot; systemctl reboot' || true
booted=""
for _ in $(seq 1 120); do
  booted=$(tb ssh "$S" '[ ! -e /run/before-reboot ] && systemctl is-system-running --wait' 2>/dev/null) && break
  sleep 0.5
done
expect_eq "$booted" "running" "$(hname "$S") rebooted"
body=""
for _ in $(seq 1 60); do # the proxy and the instances start after boot, checked by their health
  body=$(alias_get "$S" / 2>/dev/null) && break
  sleep 0.5
done
expect_eq "$body" "hello from node" "the app answers again after the reboot"
expect_eq "$(supervisor)" "$want" "widemesh.service runs runsvdir after the reboot"

sed -i 's/hello from node[^"]*/hello after reboot/' server.js && commit_all "after reboot"
wm deploy > /dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy after the reboot"; }
expect_eq "$(alias_get "$S" /)" "hello after reboot" "the next deploy serves"
echo ok
