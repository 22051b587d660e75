#!/bin/bash
# Bytes this machine (the laptop) sends when the rack builds: issue 12's figures. Counted on the
# testbed bridge, whose tx counter is what this machine sent to the hosts (frames between hosts,
# e.g. a slug fetched from the builder, are forwarded by the bridge and do not count there); each
# host's bridge-side veth counter shows what that host received from anyone. The app: the node
# example with 20 MB of vendored random files. Figures: a first deploy to 1 server, a first deploy
# to 3 servers, then a one-line change to the 3 (with the bound the issue sets for it).
# Usage (as root, testbed up): WM=build/cli/wm WM_SOURCE_DIR=$PWD TB=build/testbed \
#   bench/build-bytes.sh
source "$(dirname "$0")/../tests/testbed/lib.sh"
source "$(dirname "$0")/../tests/ssh/deploy_hosts.inc"
H=(10 11 12)
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
met() { [ "$1" = 1 ] && echo "met" || echo "NOT met"; }
echo "first deploy, 10 vs 1 server: $(ratio "$ten" "$one") (issue: <= 1.5; $(met "$(awk -v a="$ten" -v b="$one" 'BEGIN {print (a <= 1.5 * b)}')))"
echo "first deploy, 3 vs 1 server: $(ratio "$three" "$one")"
echo "one-line change to 3 servers: $change bytes (issue: <= 2 x diff + 50 KB per server = $bound; $(met "$((change <= bound))"))"
fresh "${TEN[@]}"
