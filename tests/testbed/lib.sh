# Sourced by tests/ssh/rack_*.sh and bench/: a private state dir and HOME for wm, and helpers.
# Needs WM (the wm binary) and TB (testbed state; `testbed.sh up` has run).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../support/testlib.sh"
: "${WM:?set WM to the wm binary}"
TB=${TB:-/tmp/wm-testbed}
[ -f "$TB/hosts.txt" ] || { echo "testbed not up: no $TB/hosts.txt" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wm-ssh-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home # never the real ~/.ssh or ~/.widemesh
mkdir -p "$HOME"
unset SSH_AUTH_SOCK
ST=$WORK/state
wm() { "$WM" --state-dir "$ST" "$@"; }
PFX=${PFX:-wmt}
hname() { echo "${PFX}$1"; } # host index -> host name
addr() { # host index -> address, as testbed.sh wrote it
  awk -v h="${PFX}$1" '$1 == h {print $2; f=1} END {exit !f}' "$TB/hosts.txt" || fail "no host $1 in $TB/hosts.txt"
}
tb() { "$(dirname "${BASH_SOURCE[0]}")/testbed.sh" "$@"; } # tb ssh I CMD...

# Removes what `wm rack bootstrap` created on host $1 so a test starts from a fresh server.
reset_host() {
  tb ssh "$1" '
    if [ -L /etc/service/widemesh ]; then rm /etc/service/widemesh; sleep 0.2; fi
    sv -w 5 force-stop /etc/sv/widemesh >/dev/null 2>&1 || true
    rm -rf /etc/sv/widemesh /var/lib/widemesh/*' > /dev/null
}
