#!/bin/bash
# testbed.sh -- N fresh "rack servers" on this machine (root required, no systemd needed).
# Each host is a minimal Debian 12 of its own: an overlayfs over one cached debootstrap base with a
# private upper layer, in its own network (veth on a bridge), UTS, PID and mount namespaces, with
# pivot_root into that root. Nothing of this machine's /usr is visible inside. PID 1 is a tiny
# loop that runs `sshd -D -e` (restarts it, reaps orphans): an init-less server, as in a
# container. Hosts have no route out; their apt goes through an apt-cacher-ng that `up` starts on
# the bridge address (port 3142).
#   testbed.sh up [N]      bring up N hosts (default 3); tears down leftovers of a crashed run first
#   testbed.sh down        kill everything inside the namespaces, delete netns + bridge + proxy
#   testbed.sh ssh I CMD   run CMD on host I over ssh (OpenSSH client)
#   testbed.sh inner G I   add host I on an inner network that only host G (an existing host, which
#                          gets a second interface) reaches: the control machine cannot (jump
#                          hosts); host I is $INNER_NET.(10+I), G is $INNER_NET.(10+G) there
#   testbed.sh systemd I...  add host(s) I that boot systemd as PID 1 (systemd-nspawn --boot over
#                          the same base; sshd is ssh.service): a VPS-like server. I > N of `up`
#   testbed.sh base        build the cached base root (up does this when it is missing)
#   testbed.sh status
# State lives in $TB (default /tmp/wm-testbed): id_ed25519 (client key), known_hosts, hosts.txt
# (one "name address" line per host), <host>/{upper,work,root} (the host's private layer, overlay
# work dir and mount point). Host i = netns ${PFX}i at $NET.(10+i); the bridge ${PFX}br0 is $NET.1.
# Several testbeds run at once with distinct TB, PFX and NET. Outside $TB only the shared caches
# under $CACHE are written: the base (keyed by the hash of its recipe) and apt-cacher-ng's files.
set -euo pipefail
TB=${TB:-/tmp/wm-testbed}
PFX=${PFX:-wmt}
BR=${PFX}br0
NET=${NET:-10.78.0}
INNER_NET=${INNER_NET:-10.79.0}
INNER_BR=${PFX}br1 # no address on this machine: a switch between the inner hosts only
CACHE=${WM_TESTBED_CACHE:-/var/cache/wm-testbed}
MIRROR=http://deb.debian.org/debian
# One base for both kinds of host: systemd is installed everywhere, PID 1 only where it boots.
INCLUDE=openssh-server,ca-certificates,iproute2,systemd,systemd-sysv,dbus
SSHOPTS=(-i "$TB/id_ed25519" -o UserKnownHostsFile="$TB/known_hosts" -o StrictHostKeyChecking=yes
         -o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=5 -o LogLevel=ERROR)

# --- the base root: built once per recipe, shared read-only by every host of every testbed ---

base_setup() { # $1 = root; runs after debootstrap (part of the recipe, hence of its hash)
  local r=$1
  rm -f "$r"/etc/ssh/ssh_host_*
  rm -f "$r/etc/apt/sources.list"
  cat > "$r/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat > "$r/etc/ssh/sshd_config" <<EOF
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
  : > "$r/etc/resolv.conf" # no DNS: apt reaches the archive by name through the proxy
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* "$r"/var/log/*.log
}

base_recipe() { # what the base is made of; its hash names the cached base
  echo "debootstrap --variant=minbase --include=$INCLUDE bookworm $MIRROR"
  declare -f base_setup
}

BASE=$CACHE/base-$(base_recipe | sha256sum | cut -c1-16)

build_base() { # into a temporary name under a lock; the marker "ready" is written last
  [ -f "$BASE/ready" ] && return 0
  mkdir -p "$CACHE"
  exec 8> "$CACHE/base.lock"
  flock 8
  if [ ! -f "$BASE/ready" ]; then
    local tmp=$BASE.tmp start=$SECONDS
    rm -rf "$tmp" "$BASE"
    mkdir -p "$tmp"
    echo "testbed: building the base root $BASE (once; about a minute)" >&2
    unshare --mount -- debootstrap --variant=minbase --include="$INCLUDE" bookworm "$tmp/root" "$MIRROR" \
      > "$tmp/debootstrap.log" 2>&1 ||
      { echo "testbed: debootstrap failed; see $tmp/debootstrap.log" >&2; exit 1; }
    base_setup "$tmp/root"
    mv "$tmp" "$BASE"
    echo "built in $((SECONDS - start)) s" > "$BASE/ready"
    echo "testbed: base built in $((SECONDS - start)) s" >&2
  fi
  exec 8>&-
}

# Closes every descriptor above 2 this (sub)shell inherited. The daemons started here outlive
# the command that started them; an inherited descriptor of the caller's flock would keep the
# machine-wide ssh test lock held after the tests end.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null; fi
  done
  return 0
}

# --- apt through the control machine: apt-cacher-ng on the bridge address ---

proxy_up() {
  local d=$TB/apt-proxy
  mkdir -p "$d/log" "$CACHE/apt-cacher-ng-$NET"
  # Our own configuration without the package's remapping to its backend mirrors: requests go to
  # the host they name, resolved as this machine resolves it.
  mkdir -p "$d/conf"
  cat > "$d/conf/acng.conf" <<EOF
CacheDir: $CACHE/apt-cacher-ng-$NET
LogDir: $d/log
PidFile: $d/pid
SocketPath: $d/socket
BindAddress: $NET.1
Port: 3142
ForeGround: 1
ExThreshold: 30
# npm on the hosts (builds on the rack) reaches its registry through this proxy (CONNECT).
PassThroughPattern: ^registry\.npmjs\.org:443$
EOF
  ( close_inherited_fds; exec setsid apt-cacher-ng -c "$d/conf" ) < /dev/null > "$d/out.log" 2>&1 &
  echo $! > "$TB/apt-proxy.pid"
  for _ in $(seq 1 100); do
    timeout 1 bash -c "exec 3<>/dev/tcp/$NET.1/3142" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "testbed: apt-cacher-ng did not listen on $NET.1:3142; see $d/out.log" >&2
  return 1
}

proxy_down() {
  local f=$TB/apt-proxy.pid
  [ -f "$f" ] || return 0
  kill "$(cat "$f")" 2>/dev/null || true
  rm -f "$f"
}

# --- hosts ---

host_files() { # $1 = index: the host's private layer (keys, hostname, apt and npm proxy)
  local h=${PFX}$1 d=$TB/${PFX}$1 u=$TB/${PFX}$1/upper
  rm -rf "$d"
  mkdir -p "$d/work" "$d/root" "$u/root/.ssh" "$u/etc/ssh" "$u/etc/apt/apt.conf.d"
  chmod 700 "$u/root" "$u/root/.ssh"
  install -m 600 "$TB/id_ed25519.pub" "$u/root/.ssh/authorized_keys"
  echo "$h" > "$u/etc/hostname"
  cp "$TB/hosts" "$u/etc/hosts"
  ssh-keygen -q -t ed25519 -N '' -C "root@$h" -f "$u/etc/ssh/ssh_host_ed25519_key"
  printf 'Acquire::http::Proxy "http://%s:3142";\nAcquire::Check-Valid-Until "false";\n' "$NET.1" \
    > "$u/etc/apt/apt.conf.d/01proxy"
  # Debian's npm reads /etc/npmrc, an npm of its own prefix /usr/etc/npmrc.
  mkdir -p "$u/usr/etc"
  # The control machine's CA bundle: its way out may present a CA of its own.
  cp /etc/ssl/certs/ca-certificates.crt "$u/etc/wm-testbed-ca.crt"
  printf 'proxy=http://%s:3142/\nhttps-proxy=http://%s:3142/\ncafile=/etc/wm-testbed-ca.crt\n' \
    "$NET.1" "$NET.1" | tee "$u/etc/npmrc" > "$u/usr/etc/npmrc"
  echo "$NET.$((10+$1)),$h $(cut -d' ' -f1,2 "$u/etc/ssh/ssh_host_ed25519_key.pub")" >> "$TB/known_hosts"
  echo "$h $NET.$((10+$1))" >> "$TB/hosts.txt"
}

host_net() { # $1 = index [$2 = bridge, $3 = network]
  local h=${PFX}$1 br=${2:-$BR} net=${3:-$NET}
  ip netns add "$h"
  ip link add "v$h" type veth peer name eth0 netns "$h"
  ip link set "v$h" master "$br" up
  ip -n "$h" link set lo up
  ip -n "$h" addr add "$net.$((10+$1))/24" dev eth0
  ip -n "$h" link set eth0 up
}

inner() { # $1 = gateway host index, $2 = new inner host index
  local g=${PFX}$1 h=${PFX}$2
  [ -f "$TB/n" ] || { echo "testbed: not up" >&2; exit 1; }
  if ! ip link show "$INNER_BR" >/dev/null 2>&1; then
    ip link add "$INNER_BR" type bridge
    ip link set "$INNER_BR" up
  fi
  if ! ip -n "$g" link show eth1 >/dev/null 2>&1; then
    ip link add "w$g" type veth peer name eth1 netns "$g"
    ip link set "w$g" master "$INNER_BR" up
    ip -n "$g" addr add "$INNER_NET.$((10+$1))/24" dev eth1
    ip -n "$g" link set eth1 up
  fi
  if ! ip netns list | awk '{print $1}' | grep -qx "$h"; then # again: already there
    NET=$INNER_NET host_up_on "$2" "$INNER_BR" "$INNER_NET"
  fi
  NET=$INNER_NET wait_from "$g" "$2"
  echo "inner: $h at $INNER_NET.$((10+$2)), reached through $g"
}

wait_from() { # $1 = netns, $2 = index: until sshd answers there (5 s at most)
  for _ in $(seq 1 100); do
    ip netns exec "$1" timeout 1 bash -c "exec 3<>/dev/tcp/$NET.$((10+$2))/22 && head -c 4 <&3" \
      2>/dev/null | grep -q SSH && return 0
    sleep 0.05
  done
  echo "testbed: ${PFX}$2 did not answer on port 22 from $1" >&2
  return 1
}

# PID 1 of a host: runs sshd, restarts it when it exits, and reaps every orphan (dash's wait
# collects any child, not only the one it waits for).
INIT='mkdir -p /run/sshd; while :; do /usr/sbin/sshd -D -e & wait $!; sleep 0.2; done'

host_up() { host_up_on "$1"; }

host_up_on() { # $1 = index [$2 = bridge, $3 = network]: mounts in a private namespace, then
               # pivot_root into the overlay
  local h=${PFX}$1 d=$TB/${PFX}$1
  host_files "$1"
  host_net "$@"
  ( close_inherited_fds; exec setsid ip netns exec "$h" unshare --uts --mount --pid --fork --kill-child --mount-proc \
    --propagation private -- /bin/sh -c "
      set -e
      hostname $h
      r=$d/root
      mount -t overlay overlay -o lowerdir=$BASE/root,upperdir=$d/upper,workdir=$d/work \$r
      mount -t proc proc \$r/proc
      mount -t sysfs -o ro sysfs \$r/sys
      { mount -t tmpfs cgroup_root \$r/sys/fs/cgroup && mkdir \$r/sys/fs/cgroup/memory &&
        mount -t cgroup -o memory cgroup \$r/sys/fs/cgroup/memory; } 2>/dev/null || echo 'no cgroup v1 memory'
      mount -t tmpfs -o mode=755,nosuid tmpfs \$r/dev
      for n in null zero full random urandom tty; do touch \$r/dev/\$n; mount --bind /dev/\$n \$r/dev/\$n; done
      mkdir \$r/dev/pts \$r/dev/shm
      mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts \$r/dev/pts
      ln -s pts/ptmx \$r/dev/ptmx; ln -s /proc/self/fd \$r/dev/fd
      ln -s /proc/self/fd/0 \$r/dev/stdin; ln -s /proc/self/fd/1 \$r/dev/stdout; ln -s /proc/self/fd/2 \$r/dev/stderr
      mount -t tmpfs -o mode=1777 tmpfs \$r/dev/shm
      mount -t tmpfs -o mode=755 tmpfs \$r/run
      mount -t tmpfs -o mode=1777 tmpfs \$r/tmp
      cd \$r && pivot_root . . && umount -l .
      exec env - PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c '$INIT'
    " ) < /dev/null > "$d/init.log" 2>&1 &
  echo $! > "$d/unshare.pid"
}

wait_banner() { # $1 = index [$2 = tries of 50 ms; 100 unless given]: until sshd answers
  for _ in $(seq 1 "${2:-100}"); do
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
  build_base
  down > /dev/null
  mkdir -p "$TB"
  [ -f "$TB/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C wm-testbed -f "$TB/id_ed25519"
  : > "$TB/known_hosts"; : > "$TB/hosts.txt"
  { echo "127.0.0.1 localhost"; echo "$NET.1 control"
    for i in $(seq 1 "$n"); do echo "$NET.$((10+i)) ${PFX}$i"; done; } > "$TB/hosts"
  ip link add "$BR" type bridge
  ip addr add "$NET.1/24" dev "$BR"
  ip link set "$BR" up
  proxy_up
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
  systemd_hosts_stop
  kill_netns TERM
  [ -z "$(our_netns)" ] || sleep 0.3
  kill_netns KILL
  systemd_cgroups_remove
  local h
  for h in $(our_netns); do ip netns del "$h" 2>/dev/null || true; done
  ip link del "$BR" 2>/dev/null || true
  ip link del "$INNER_BR" 2>/dev/null || true
  proxy_down
  rm -f "$TB/n"
  echo down
}

status() {
  local h
  for h in $(our_netns); do
    local f=$TB/$h/unshare.pid
    if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then echo "$h up"; else echo "$h broken"; fi
  done
}

. "$(dirname "${BASH_SOURCE[0]}")/systemd_hosts.sh"

case ${1:-} in
  up) up "${2:-3}" ;;
  down) down ;;
  base) build_base; echo "$BASE" ;;
  inner) inner "$2" "$3" ;;
  systemd) shift; for i; do systemd_host "$i"; done ;;
  ssh) i=$2; shift 2; exec ssh "${SSHOPTS[@]}" "root@$(awk -v h="${PFX}$i" '$1==h{print $2}' "$TB/hosts.txt")" "$@" ;;
  status) status ;;
  *) echo "usage: $0 up [N] | down | base | inner G I | systemd I... | ssh I CMD | status" >&2; exit 2 ;;
esac
