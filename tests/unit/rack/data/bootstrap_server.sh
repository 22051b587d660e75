set -u
root=/var/lib/widemesh
changed() { echo "changed: $*"; }
fail() { echo "error: $*" >&2; exit 1; }
missing=""
for p in runit:runsvdir caddy:caddy bubblewrap:bwrap curl:curl zstd:zstd iproute2:ss procps:pgrep; do
	command -v "${p#*:}" >/dev/null 2>&1 || missing="$missing ${p%%:*}"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || fail "missing:$missing, and not root to install them"
	command -v apt-get >/dev/null 2>&1 || fail "missing:$missing, and no apt-get to install them"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null 2>&1
	log=$(apt-get install -y -qq --no-install-recommends $missing 2>&1) || fail "apt-get install$missing failed: $(printf '%s' "$log" | tail -n 5)"
	changed "installed$missing"
	# Debian's caddy package enables its own caddy.service on :80, which would block our proxy.
	case " $missing " in *" caddy "*) [ -d /run/systemd/system ] && systemctl disable --now caddy >/dev/null 2>&1 || true ;; esac
fi
for d in slugs apps service proxy locks logs; do
	[ -d "$root/$d" ] || { mkdir -p "$root/$d" && changed "created $root/$d"; } || fail "cannot create $root/$d"
done
if [ "$(cat "$root/VERSION" 2>/dev/null)" != 2 ]; then
	printf '%s\n' 2 > "$root/VERSION.tmp" && mv -f "$root/VERSION.tmp" "$root/VERSION" || fail "cannot write $root/VERSION"
	changed "wrote $root/VERSION (layout 2)"
fi
system_runit() { # a runsvdir (by executable) over /etc/service runs
	[ -d /etc/service ] || return 1
	for p in /proc/[0-9]*; do
		case "$(readlink "$p/exe" 2>/dev/null)" in */runsvdir) ;; *) continue;; esac
		tr '\0' '\n' < "$p/cmdline" 2>/dev/null | grep -qx -e /etc/service -e /etc/service/ && return 0
	done
	return 1
}
if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && [ "$(id -u)" = 0 ]; then
	unit=/etc/systemd/system/widemesh.service
	want='[Unit]
Description=widemesh runit supervisor
After=network.target

[Service]
ExecStart=/usr/bin/runsvdir -P /var/lib/widemesh/service '\''log: ................................................................'\''
KillSignal=SIGHUP
Restart=always

[Install]
WantedBy=multi-user.target'
	if [ "$(cat $unit 2>/dev/null)" != "$want" ]; then
		printf '%s\n' "$want" > $unit.tmp && mv -f $unit.tmp $unit && systemctl daemon-reload || fail "cannot write $unit"
		changed "wrote $unit"
	fi
	systemctl is-enabled --quiet widemesh || { systemctl enable --quiet widemesh && changed "enabled widemesh.service"; }
	systemctl is-active --quiet widemesh || { systemctl start widemesh && changed "started widemesh.service"; } || fail "cannot start widemesh.service"
elif [ "$(id -u)" = 0 ] && system_runit; then
	run='#!/bin/sh
exec 2>&1
exec runsvdir -P /var/lib/widemesh/service '\''log: ................................................................'\'''
	mkdir -p /etc/sv/widemesh
	if [ "$(cat /etc/sv/widemesh/run 2>/dev/null)" != "$run" ]; then
		printf '%s\n' "$run" > /etc/sv/widemesh/run.tmp && chmod 755 /etc/sv/widemesh/run.tmp && mv -f /etc/sv/widemesh/run.tmp /etc/sv/widemesh/run || fail "cannot write /etc/sv/widemesh/run"
		changed "wrote /etc/sv/widemesh/run"
	fi
	[ -L /etc/service/widemesh ] || { ln -s /etc/sv/widemesh /etc/service/widemesh && changed "linked /etc/service/widemesh"; }
	i=0; while [ ! -e /etc/service/widemesh/supervise/ok ] && [ $i -lt 70 ]; do sleep 0.1; i=$((i+1)); done
	sv status /etc/service/widemesh 2>/dev/null | grep -q '^run:' || { sv -w 7 start /etc/service/widemesh >/dev/null && changed "started runsvdir (runit service widemesh)"; } || fail "runit did not start /etc/service/widemesh"
else
	r=$(sh -c 'find_runsvdir() {
	for p in $(cat /var/lib/widemesh/runsvdir.pid 2>/dev/null) /proc/[0-9]*; do
		p=${p#/proc/}
		case "$(readlink "/proc/$p/exe" 2>/dev/null)" in */runsvdir|*/runsvdir" (deleted)") ;; *) continue;; esac
		tr '\''\0'\'' '\''\n'\'' < "/proc/$p/cmdline" 2>/dev/null | grep -qxF /var/lib/widemesh/service && { echo "$p"; return 0; }
	done
	return 1
}
if pid=$(find_runsvdir); then echo "running $pid"; exit 0; fi
cd / && env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin setsid runsvdir -P /var/lib/widemesh/service '\''log: ................................................................'\'' </dev/null >/dev/null 2>&1 &
echo $! > /var/lib/widemesh/runsvdir.pid
echo "started $!"
') || fail "cannot start runsvdir: $r"
	case "$r" in started*) changed "started runsvdir (detached, pid ${r#started })";; esac
fi
