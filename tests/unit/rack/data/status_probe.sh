root=/var/lib/widemesh
. /etc/os-release 2>/dev/null; echo "os=${PRETTY_NAME:-unknown}"
d=$root; while [ ! -d "$d" ]; do d=$(dirname "$d"); done
echo "disk_free_kb=$(df -Pk "$d" | awk 'NR==2 {print $4}')"
for t in runsvdir caddy bwrap; do
	if command -v $t >/dev/null 2>&1; then echo "$t=yes"; else echo "$t=no"; fi
done
echo "layout=$(cat "$root/VERSION" 2>/dev/null)"
for d in "$root"/apps/*/*/*/; do
	[ -d "$d" ] || continue
	s=${d%/}; stack=${s##*/}; s=${s%/*}; env=${s##*/}; s=${s%/*}; app=${s##*/}
	v=$(ls "$d"deployments 2>/dev/null | sed -n 's/^v\([0-9]*\)\.json$/\1/p' | sort -n | tail -n 1)
	echo "served=$app $env $stack ${v:--}"
done
find_runsvdir() {
	for p in $(cat /var/lib/widemesh/runsvdir.pid 2>/dev/null) /proc/[0-9]*; do
		p=${p#/proc/}
		case "$(readlink "/proc/$p/exe" 2>/dev/null)" in */runsvdir|*/runsvdir" (deleted)") ;; *) continue;; esac
		tr '\0' '\n' < "/proc/$p/cmdline" 2>/dev/null | grep -qxF /var/lib/widemesh/service && { echo "$p"; return 0; }
	done
	return 1
}
echo "supervisor=$(find_runsvdir)"
n=0; for d in /var/lib/widemesh/service/*/; do [ -d "$d" ] && n=$((n + 1)); done
echo "services=$n"
