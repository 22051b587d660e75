root=/var/lib/widemesh
. /etc/os-release 2>/dev/null; echo "os=${PRETTY_NAME:-unknown}"
d=$root; while [ ! -d "$d" ]; do d=$(dirname "$d"); done
echo "disk_free_kb=$(df -Pk "$d" | awk 'NR==2 {print $4}')"
for t in runsvdir caddy bwrap; do
	if command -v $t >/dev/null 2>&1; then echo "$t=yes"; else echo "$t=no"; fi
done
echo "layout=$(cat "$root/VERSION" 2>/dev/null)"
