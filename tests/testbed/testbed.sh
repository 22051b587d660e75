#!/bin/bash
# testbed.sh -- N fake "rack servers" on this machine (root required, no systemd needed).
# Each host = network ns (veth on a bridge) + UTS ns (own hostname) + PID ns (runsvdir is PID 1)
#             + private mount ns (own /root /srv /etc/sv /etc/service /etc/ssh /var/log
#               /var/lib/widemesh /run /tmp, cgroup v1 memory at /sys/fs/cgroup/memory)
#             + sshd supervised by runit on port 22. /usr is shared with this machine.
# Recipe: network + UTS + PID + mount namespaces per host, sshd and apps under runit.
#   testbed.sh up [N]      bring up N hosts (default 3); tears down leftovers of a crashed run first
#   testbed.sh down        kill everything inside the namespaces, delete netns + bridge
#   testbed.sh ssh I CMD   run CMD on host I over ssh (OpenSSH client)
#   testbed.sh status
# State lives in $TB (default /tmp/wm-testbed): id_ed25519 (client key), known_hosts, hosts.txt
# (one "name address" line per host), <host>/ (per-host roots, e.g. $TB/wmt1/widemesh is the host's
# /var/lib/widemesh). Host i = netns ${PFX}i at $NET.(10+i); the bridge ${PFX}br0 is $NET.1.
set -euo pipefail
TB=${TB:-/tmp/wm-testbed}
PFX=${PFX:-wmt}
BR=${PFX}br0
NET=${NET:-10.78.0}
SSHOPTS=(-i "$TB/id_ed25519" -o UserKnownHostsFile="$TB/known_hosts" -o StrictHostKeyChecking=yes
         -o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=5 -o LogLevel=ERROR)

host_files() { # $1 = index: per-host config, keys and the sshd runit service
  local h=${PFX}$1 d=$TB/${PFX}$1
  mkdir -p "$d"/{root/.ssh,srv,widemesh,etc-sv/sshd/log,service,etc-ssh,varlog/sshd}
  chmod 700 "$d/root" "$d/root/.ssh"
  install -m 600 "$TB/id_ed25519.pub" "$d/root/.ssh/authorized_keys"
  echo "$h" > "$d/hostname"
  cp /etc/ssh/ssh_config /etc/ssh/moduli "$d/etc-ssh/"
  cp -r /etc/ssh/ssh_config.d "$d/etc-ssh/"
  [ -f "$d/etc-ssh/ssh_host_ed25519_key" ] ||
    ssh-keygen -q -t ed25519 -N '' -C "$h" -f "$d/etc-ssh/ssh_host_ed25519_key"
  chmod 600 "$d/etc-ssh/ssh_host_ed25519_key"
  echo "$NET.$((10+$1)),$h $(cut -d' ' -f1,2 "$d/etc-ssh/ssh_host_ed25519_key.pub")" >> "$TB/known_hosts"
  echo "$h $NET.$((10+$1))" >> "$TB/hosts.txt"
  cat > "$d/etc-ssh/sshd_config" <<EOF
Port 22
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
PrintMotd no
MaxSessions 64
MaxStartups 64:30:128
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
LogLevel VERBOSE
EOF
  printf '#!/bin/sh\nexec 2>&1\nmkdir -p /run/sshd\nexec /usr/sbin/sshd -D -e\n' > "$d/etc-sv/sshd/run"
  printf '#!/bin/sh\nexec svlogd -tt /var/log/sshd\n' > "$d/etc-sv/sshd/log/run"
  chmod +x "$d/etc-sv/sshd/run" "$d/etc-sv/sshd/log/run"
  ln -sfn /etc/sv/sshd "$d/service/sshd"
}

host_net() { # $1 = index
  local h=${PFX}$1
  ip netns add "$h"
  ip link add "v$h" type veth peer name eth0 netns "$h"
  ip link set "v$h" master "$BR" up
  ip -n "$h" link set lo up
  ip -n "$h" addr add "$NET.$((10+$1))/24" dev eth0
  ip -n "$h" link set eth0 up
}

host_up() { # $1 = index; runsvdir becomes PID 1 of the host (reaps orphans, supervises sshd + apps)
  local h=${PFX}$1 d=$TB/${PFX}$1
  host_files "$1"
  host_net "$1"
  setsid ip netns exec "$h" unshare --uts --mount --pid --fork --kill-child --mount-proc \
    --propagation private -- /bin/sh -c "
      set -e
      hostname $h
      mount --bind $d/root /root
      mount --bind $d/srv /srv
      mount --bind $d/widemesh /var/lib/widemesh
      mount --bind $d/etc-sv /etc/sv
      mount --bind $d/service /etc/runit/runsvdir/default
      mount --bind $d/etc-ssh /etc/ssh
      mount --bind $d/varlog /var/log
      mount --bind $TB/hosts /etc/hosts
      mount --bind $d/hostname /etc/hostname
      mount -t tmpfs -o mode=755 tmpfs /run
      mount -t tmpfs -o mode=755 tmpfs /mnt && mkdir /mnt/shared && mount --bind $TB/shared /mnt/shared
      { mount -t tmpfs cgroup_root /sys/fs/cgroup && mkdir /sys/fs/cgroup/memory &&
        mount -t cgroup -o memory cgroup /sys/fs/cgroup/memory; } || echo 'no cgroup v1 memory'
      mount -t tmpfs -o mode=1777 tmpfs /tmp
      exec env - PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        runsvdir -P /etc/service 'log: ...........................................................'
    " < /dev/null > "$d/init.log" 2>&1 &
  echo $! > "$d/unshare.pid"
}

wait_banner() { # $1 = index; until sshd answers with its banner (5 s at most)
  for _ in $(seq 1 100); do
    timeout 1 bash -c "exec 3<>/dev/tcp/$NET.$((10+$1))/22 && head -c 4 <&3" 2>/dev/null |
      grep -q SSH && return 0
    sleep 0.05
  done
  echo "testbed: ${PFX}$1 ($NET.$((10+$1))) did not answer on port 22; see $TB/${PFX}$1/init.log" >&2
  return 1
}

up() {
  local n=${1:-3}
  [ "$(id -u)" = 0 ] || { echo "testbed: needs root" >&2; exit 1; }
  down > /dev/null
  mkdir -p "$TB/shared"
  [ -f "$TB/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C wm-testbed -f "$TB/id_ed25519"
  : > "$TB/known_hosts"; : > "$TB/hosts.txt"; : > "$TB/created"
  [ -d /var/lib/widemesh ] || { mkdir -p /var/lib/widemesh; echo /var/lib/widemesh >> "$TB/created"; }
  { echo "127.0.0.1 localhost"; echo "$NET.1 control"
    for i in $(seq 1 "$n"); do echo "$NET.$((10+i)) ${PFX}$i"; done; } > "$TB/hosts"
  ip link add "$BR" type bridge
  ip addr add "$NET.1/24" dev "$BR"
  ip link set "$BR" up
  echo "$n" > "$TB/n"
  for i in $(seq 1 "$n"); do host_up "$i"; done
  for i in $(seq 1 "$n"); do wait_banner "$i"; done
  echo "up: $n hosts ($NET.11..$NET.$((10+n))); key $TB/id_ed25519; known_hosts $TB/known_hosts"
}

our_netns() { ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${PFX}[0-9]+$" || true; }

kill_netns() { # $1 = signal; every process inside our namespaces
  local h pids
  for h in $(our_netns); do
    pids=$(ip netns pids "$h" 2>/dev/null || true)
    [ -z "$pids" ] || kill "-$1" $pids 2>/dev/null || true
  done
}

down() { # also cleans up after a crashed run: works from `ip netns list`, not from $TB/n
  kill_netns TERM
  [ -z "$(our_netns)" ] || sleep 0.3
  kill_netns KILL
  local h
  for h in $(our_netns); do ip netns del "$h" 2>/dev/null || true; done
  ip link del "$BR" 2>/dev/null || true
  [ -f "$TB/created" ] && tac "$TB/created" | while read -r p; do rmdir "$p" 2>/dev/null || true; done
  rm -f "$TB/n" "$TB/created"
  echo down
}

status() {
  local h
  for h in $(our_netns); do
    local f=$TB/$h/unshare.pid
    if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then echo "$h up"; else echo "$h broken"; fi
  done
}

case ${1:-} in
  up) up "${2:-3}" ;;
  down) down ;;
  ssh) i=$2; shift 2; exec ssh "${SSHOPTS[@]}" "root@$NET.$((10+i))" "$@" ;;
  status) status ;;
  *) echo "usage: $0 up [N] | down | ssh I CMD | status" >&2; exit 2 ;;
esac
