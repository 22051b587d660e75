#!/bin/bash
# Bytes this machine (the laptop) sends when the rack builds: issue 12's figures. Counted on the
# testbed bridge, whose tx counter is what this machine sent to the hosts (frames between hosts,
# e.g. a slug fetched from the builder, are forwarded by the bridge and do not count there); each
# host's bridge-side veth counter shows what that host received from anyone. The app: the node
# example with 20 MB of vendored random files, built on the rack (the default). Figures: a first
# deploy to 1 server and to 10 servers, to 3 servers, then a one-line change to the 3 (with the
# bounds the issue sets). bench/run calls it. Usage (as root, testbed of 10+ hosts up, ssh lock held):
#   WM=build/cli/wm WM_SOURCE_DIR=$PWD TB=build/testbed bench/build-bytes.sh
# Paths may be relative to where it is called from: they are made absolute before anything
# changes directory (the app's repository is a temp dir). Hosts 1-10 of the testbed.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${WM:?set WM to the wm binary}" "${TB:?set TB to the testbed state dir}"
WM=$(realpath "$WM") TB=$(realpath "$TB") WM_SOURCE_DIR=$(realpath "${WM_SOURCE_DIR:-$ROOT}")
export WM TB WM_SOURCE_DIR
source "$ROOT/tests/testbed/lib.sh"
source "$ROOT/tests/ssh/deploy_hosts.inc"
TEN=($(seq 1 10))
H=(1 2 3)
MB=${MB:-20}

counter() { cat "/sys/class/net/$1/statistics/tx_bytes"; } # bridge or veth device
laptop_sent() { counter "${PFX}br0"; }
host_got() { counter "v$(hname "$1")"; }

fresh() { # hosts...: wm's layout removed, runsvdir stopped (apt packages stay)
  local i
  for i in "$@"; do
    tb ssh "$i" 'p=$(cat /var/lib/widemesh/runsvdir.pid 2>/dev/null) && kill -HUP "$p" && sleep 1; true' >/dev/null
    reset_host "$i"
  done
}

manifest_for() { # hosts...: rack trio of those hosts, environment production
  local i servers=""
  for i in "$@"; do
    servers+="      - {address: $(addr "$i"), key: $TB/id_ed25519}
"
  done
  write_manifest "$servers" "true"
  sed -i '/^build: local$/d' widemesh.yaml # the default: built on the rack
}

# measure NAME hosts...: bootstraps the hosts (not counted), deploys HEAD to them (counted);
# prints one line.
measure() {
  local name=$1 i before after line
  shift
  manifest_for "$@"
  commit_all "manifest for $name" 2>/dev/null || true # nothing to commit: the same servers
  wm rack bootstrap trio > "$WORK/bootstrap.$name" 2>&1 || { cat "$WORK/bootstrap.$name"; fail "bootstrap"; }
  declare -A got=()
  for i in "$@"; do got[$i]=$(host_got "$i"); done
  before=$(laptop_sent)
  wm deploy > "$WORK/deploy.$name" 2>&1 || { cat "$WORK/deploy.$name"; fail "deploy ($name)"; }
  after=$(laptop_sent)
  line="$name: $((after - before)) bytes from this machine;"
  for i in "$@"; do line+=" $(hname "$i") received $(($(host_got "$i") - ${got[$i]}))"; done
  echo "$line"
  LAST=$((after - before))
}

fresh "${TEN[@]}"
mkdir -p "$ST" && cp "$TB/known_hosts" "$ST/known_hosts"
cp -r "$WM_SOURCE_DIR/examples/node" "$WORK/app"
cd "$WORK/app"
mkdir vendor
for n in $(seq 1 "$MB"); do head -c 1000000 /dev/urandom > "vendor/part$n.bin"; done
manifest_for "${H[0]}"
git init -q . && commit_all "initial"

measure "first deploy, 1 server" "${H[0]}"
one=$LAST
fresh "${H[0]}"
measure "first deploy, 10 servers" "${TEN[@]}"
ten=$LAST
fresh "${TEN[@]}"
measure "first deploy, 3 servers" "${H[@]}"
three=$LAST
sed -i 's/hello from node/hello again from node/' server.js && commit_all "one line"
diff_bytes=$(git diff HEAD~1 HEAD | gzip -9 | wc -c)
measure "one-line change, 3 servers" "${H[@]}"
change=$LAST
bound=$((2 * diff_bytes + 3 * 50000))

echo "app: node example + $MB MB vendored; compressed diff of the change: $diff_bytes bytes"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { if [ "$1" = 1 ]; then echo met; else echo "NOT met"; fi; }
ten_ok=$(awk -v a="$ten" -v b="$one" 'BEGIN {print (a <= 1.5 * b) ? 1 : 0}')
change_ok=0
[ "$change" -le "$bound" ] && change_ok=1
echo "first deploy, 10 vs 1 server: $(ratio "$ten" "$one") (issue: <= 1.5; $(verdict "$ten_ok"))"
echo "first deploy, 3 vs 1 server: $(ratio "$three" "$one")"
echo "one-line change to 3 servers: $change bytes (issue: <= 2 x diff + 50 KB per server = $bound; $(verdict "$change_ok"))"
fresh "${TEN[@]}"
