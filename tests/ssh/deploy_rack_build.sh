#!/bin/bash
# Builds on the rack, the default (the manifest says nothing of building): the laptop has only wm
# and git on its PATH (no node, npm, bubblewrap), the first server builds the node example under
# the build sandbox, the other two fetch the slug from it (never through the laptop), every
# server holds the same sha256; a one-line change moves few bytes between servers; a corrupted
# slug is detected and fetched again at the next deploy; a builder without git fails preflight.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(10 11 12)
for i in "${H[@]}"; do
  tb ssh "$i" 'p=$(cat /var/lib/widemesh/runsvdir.pid 2>/dev/null) && kill -HUP "$p" && sleep 1; true' >/dev/null
  reset_host "$i"
done
mkdir -p "$ST" && cp "$TB/known_hosts" "$ST/known_hosts"

# The laptop: wm (called by its path) and git, nothing else.
mkdir -p "$WORK/bin" && ln -s "$(command -v git)" "$WORK/bin/git"
lean() { PATH="$WORK/bin" "$WM" --state-dir "$ST" "$@"; }
for tool in node npm python3 ruby go php java bwrap; do
  [ -z "$(PATH="$WORK/bin" command -v "$tool")" ] || fail "$tool is on the lean PATH"
done

cp -r "$WM_SOURCE_DIR/examples/node" "$WORK/app"
cd "$WORK/app"
head -c 4000000 /dev/urandom > vendored.bin # 4 MB the slug carries: deltas must skip it
cat > widemesh.yaml <<YAML
app: hello-node
racks:
  trio:
    alias_domain: wm.test
    servers:
      - {address: $(addr 10), key: $TB/id_ed25519}
      - {address: $(addr 11), key: $TB/id_ed25519}
      - {address: $(addr 12), key: $TB/id_ed25519}
environments:
  production:
    racks: [trio]
YAML
git init -q . && commit_all "initial"

lean rack bootstrap trio > "$WORK/bootstrap" 2>&1 || { cat "$WORK/bootstrap"; fail "bootstrap"; }
expect_contains "$(cat "$WORK/bootstrap")" "npm" "bootstrap installs the node buildpack's build packages"
expect_contains "$(cat "$WORK/bootstrap")" "rsync" "bootstrap installs rsync"

lean deploy > "$WORK/deploy1" 2>&1 || { cat "$WORK/deploy1"; fail "first deploy"; }
cat "$WORK/deploy1" >&2
expect_contains "$(cat "$WORK/deploy1")" "Building stack app from HEAD on $(addr 10)" "builds on the first server"
expect_contains "$(cat "$WORK/deploy1")" "compiling with node on $(addr 10)" "bin/compile ran on the builder"
expect_contains "$(cat "$WORK/deploy1")" "-----> Node.js v" "bin/compile's output streamed to the laptop"

# The source went as git objects into the builder's repository of the app: all of the tree.
grep -q "source: [0-9]* git objects, [0-9]* bytes (no commit in common: the whole tree)" "$WORK/deploy1" || fail "the first deploy did not send the source as git objects"

slug_of() { tb ssh "$1" 'cd /var/lib/widemesh/slugs && for f in *.tar.zst; do sha256sum "$f"; done' | sort; }
s10=$(slug_of 10)
[ -n "$s10" ] || fail "no slug on the builder"
expect_eq "$(slug_of 11)" "$s10" "host 11 holds the builder's slug"
expect_eq "$(slug_of 12)" "$s10" "host 12 holds the builder's slug"
sha1=$(echo "$s10" | awk '{print $1}')
expect_eq "$(echo "$s10" | awk '{print $2}')" "$sha1.tar.zst" "the slug is named by its sha256"
for i in "${H[@]}"; do
  expect_contains "$(alias_get "$i" /)" "hello from node" "the app answers through the proxy of $(hname "$i")"
done
# Nothing left of the build or the offer.
expect_eq "$(tb ssh 10 'cd /var/lib/widemesh/build && find work serve; pgrep -x rsync || true')" "work
serve" "work dirs and rsync daemons are gone"

# A one-line change: the other servers fetch the new slug from the builder.
sed -i 's/hello from node/hello again from node/' server.js && commit_all "one line"
first=$(git rev-parse HEAD~1)
echo scratch > untracked.txt # the working directory is never what is built
lean deploy > "$WORK/deploy2" 2>&1 || { cat "$WORK/deploy2"; fail "second deploy"; }
cat "$WORK/deploy2" >&2
# Only what the builder lacked: the commit, the root tree and server.js (not the 4 MB).
src=$(grep -o "source: [0-9]* git objects, [0-9]* bytes (the rest is on the builder)" "$WORK/deploy2" || true)
expect_eq "$(echo "$src" | cut -d' ' -f2)" "3" "the one-line change sends 3 git objects"
src_bytes=$(echo "$src" | cut -d' ' -f5)
echo "the one-line change sent $src_bytes bytes of git objects to the builder" >&2
[ "$src_bytes" -lt 2000 ] || fail "the one-line change sent $src_bytes bytes of source"
expect_eq "$(tb ssh 10 "git -C /var/lib/widemesh/build/git/hello-node.git for-each-ref --format='%(refname)' | sort")" \
  "$(printf 'refs/wm/%s\n' "$first" "$(git rev-parse HEAD)" | sort)" "the builder's repository holds both commits"
sha2=$(tb ssh 10 'ls -t /var/lib/widemesh/slugs/*.tar.zst | head -n 1' | xargs basename | cut -c1-64)
[ "$sha2" != "$sha1" ] || fail "the one-line change built no new slug"
size=$(tb ssh 10 "stat -c %s /var/lib/widemesh/slugs/$sha2.tar.zst")
expect_eq "$(tb ssh 10 "tar --zstd -tf /var/lib/widemesh/slugs/$sha2.tar.zst | grep -E '^./(server.js|untracked.txt|widemesh.yaml)\$'")" \
  "./server.js" "the slug holds the commit's tree, not the working directory nor the manifest"
for i in 11 12; do
  bytes=$(grep -o "$(addr "$i"): .*fetched from $(addr 10) ([0-9]* bytes)" "$WORK/deploy2" | grep -o '([0-9]* bytes)' | tr -dc 0-9 || true)
  [ -n "$bytes" ] || fail "no fetch reported for host $i"
  echo "host $i received $bytes bytes of the $size-byte slug for the one-line change" >&2
  # The rsync delta against the previous slug: a tenth of the slug at most (seen: ~14 KB of 4 MB).
  [ "$bytes" -lt $((size / 10)) ] || fail "host $i received $bytes bytes of a $size-byte slug for a one-line change"
  expect_contains "$(alias_get "$i" /)" "hello again from node" "the change serves on $(hname "$i")"
done

# A corrupted slug on host 12 is detected (sha256) and fetched again.
tb ssh 12 "printf x >> /var/lib/widemesh/slugs/$sha1.tar.zst"
lean deploy --ref "$first" > "$WORK/deploy3" 2>&1 || { cat "$WORK/deploy3"; fail "third deploy"; }
expect_contains "$(cat "$WORK/deploy3")" "reusing the build on $(addr 10)" "the first commit's build is reused"
grep -q "$(addr 12).*slug ${sha1:0:12} fetched from $(addr 10)" "$WORK/deploy3" || { cat "$WORK/deploy3"; fail "host 12 did not fetch its corrupted slug again"; }
! grep -q "$(addr 11).*slug ${sha1:0:12} fetched" "$WORK/deploy3" || fail "host 11's intact slug was fetched again"
expect_eq "$(slug_of 12)" "$(slug_of 10)" "host 12's slug is the builder's again"
for i in "${H[@]}"; do
  expect_contains "$(alias_get "$i" /)" "hello from node" "the first commit serves again on $(hname "$i")"
done

# A builder without git stops the deploy at preflight, naming it and the remedy; bootstrap
# installs git again.
tb ssh 10 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq git >/dev/null 2>&1 && ! command -v git' \
  >/dev/null || fail "removing git from $(hname 10)"
rc=0; lean deploy > "$WORK/deploy4" 2>&1 || rc=$?
expect_eq "$rc" 1 "preflight failure exit code"
expect_eq "$(grep '^wm: error' "$WORK/deploy4")" "wm: error: server $(addr 10): step preflight: the builder needs git (Debian package git); run 'wm rack bootstrap trio'" "the builder's preflight message"
lean rack bootstrap trio > "$WORK/bootstrap2" 2>&1 || { cat "$WORK/bootstrap2"; fail "bootstrap after removing git"; }
expect_contains "$(cat "$WORK/bootstrap2")" "$(addr 10): installed git" "bootstrap installs git again"
lean deploy > "$WORK/deploy5" 2>&1 || { cat "$WORK/deploy5"; fail "deploy after bootstrap"; }

for i in "${H[@]}"; do reset_host "$i"; done
echo ok
