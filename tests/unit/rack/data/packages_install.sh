missing=""
for p in runit:runsvdir caddy:caddy bubblewrap:bwrap curl:curl zstd:zstd iproute2:ss procps:pgrep; do
	command -v "${p#*:}" >/dev/null 2>&1 || missing="$missing ${p%%:*}"
done
for p in nodejs php-cli; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' ok installed$' || missing="$missing $p"
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
