# Sourced by testbed.sh: hosts that boot systemd as PID 1, as most VPSs do. Such a host is the
# same overlay over the same base as an init-less one, booted by `systemd-nspawn --boot` inside
# the host's network namespace; sshd runs as Debian's ssh.service. This machine runs no systemd,
# so nothing registers with machined (--register=no): the testbed keeps the nspawn pid itself.
# Outside $TB, nspawn's own state goes to a tmpfs on /run in a private mount namespace, and its
# cgroups to one per host in each hierarchy nspawn uses, removed by `down`.

cgroup_roots() { # where nspawn makes its payload/supervisor cgroups: the name=systemd and the
                 # unified hierarchy of a hybrid setup (as here), or the one cgroup2 mount
  if [ -d /sys/fs/cgroup/systemd ]; then
    echo /sys/fs/cgroup/systemd
    [ ! -f /sys/fs/cgroup/unified/cgroup.procs ] || echo /sys/fs/cgroup/unified
  else
    echo /sys/fs/cgroup
  fi
}

# $1 = index: the host boots systemd. Added to a testbed that is up (like `inner`); its number
# must be one `up` did not start. A reboot inside (`systemctl reboot`) boots it again; poweroff
# stops it for good.
systemd_host() {
  local h=${PFX}$1 d=$TB/${PFX}$1 cg="" r start
  for r in $(cgroup_roots); do cg+=" $r/wm-testbed-$h"; done
  [ -f "$TB/n" ] || { echo "testbed: not up" >&2; exit 1; }
  command -v systemd-nspawn > /dev/null ||
    { echo "testbed: no systemd-nspawn (scripts/install-deps.sh installs systemd-container)" >&2; exit 1; }
  if ip netns list | awk '{print $1}' | grep -qx "$h"; then
    echo "testbed: $h is up already" >&2; exit 1
  fi
  start=$EPOCHREALTIME
  host_files "$1"
  host_net "$1"
  touch "$d/netns"
  # Root on a VPS administers its network: CAP_NET_ADMIN and a writable /proc/sys/net (nspawn
  # grants neither for a network namespace it did not make). nspawn exits with 133 when the
  # machine asks to reboot: boot it again, as a VPS would.
  ( close_inherited_fds; exec setsid unshare --mount --propagation private -- /bin/sh -c "
      set -e
      mount -t overlay overlay -o lowerdir=$BASE/root,upperdir=$d/upper,workdir=$d/work $d/root
      mount --bind /run/netns/$h $d/netns
      mount -t tmpfs -o mode=755 tmpfs /run
      for c in $cg; do mkdir -p \$c && echo \$\$ > \$c/cgroup.procs; done
      while :; do
        SYSTEMD_NSPAWN_API_VFS_WRITABLE=network systemd-nspawn --quiet --boot --directory=$d/root \
          --machine=$h --register=no --keep-unit --capability=CAP_NET_ADMIN \
          --network-namespace-path=$d/netns --console=read-only --resolv-conf=off --timezone=off \
          --link-journal=no &
        echo \$! > $d/nspawn.pid
        rc=0; wait \$! || rc=\$?
        [ \$rc = 133 ] || exit \$rc
        echo 'testbed: rebooting'
      done
    " ) < /dev/null > "$d/init.log" 2>&1 &
  echo $! > "$d/unshare.pid"
  wait_banner "$1" 400
  echo "systemd: $h at $NET.$((10+$1)); sshd answered after $(awk -v a="$start" -v b="$EPOCHREALTIME" \
    'BEGIN {printf "%.2f", b - a}') s"
}

# Powers every systemd host off: nspawn turns TERM into the container's clean shutdown. Runs before
# kill_netns: a TERM from outside would make the container's systemd re-execute, not stop.
systemd_hosts_stop() {
  local f p
  for f in "$TB"/"$PFX"*/nspawn.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    if kill -TERM "$p" 2> /dev/null; then
      for _ in $(seq 1 100); do kill -0 "$p" 2> /dev/null || break; sleep 0.05; done
      kill -KILL "$p" 2> /dev/null || true
    fi
    rm -f "$f"
  done
}

# Removes the hosts' cgroups (after kill_netns), killing what is still in them.
systemd_cgroups_remove() {
  local cg
  for cg in $(for r in $(cgroup_roots); do echo "$r"/wm-testbed-"$PFX"[0-9]*; done); do
    [ -d "$cg" ] || continue
    find "$cg" -name cgroup.procs -exec cat {} + 2> /dev/null | xargs -r kill -KILL 2> /dev/null || true
    for _ in $(seq 1 40); do
      find "$cg" -depth -type d -exec rmdir {} + 2> /dev/null || true
      [ -d "$cg" ] || break
      sleep 0.05
    done
    [ ! -d "$cg" ] || echo "testbed: cannot remove $cg" >&2
  done
}
