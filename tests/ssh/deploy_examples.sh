#!/bin/bash
# Every example app deploys to a two-server rack of fresh test hosts (bootstrap, run in the app's
# repository, installs what its stacks run on and what building them needs) and answers through
# both servers' proxies. Each example gets its own environment, so they all serve side by side.
# Nothing says where to build: the default builds on the rack's first server, and this machine
# (the laptop) has only wm and git on its PATH: no node, npm, python3, ruby, go, php, java, bwrap.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(11 12)
started=$(date +%s)
for i in "${H[@]}"; do
  tb ssh "$i" 'p=$(cat /var/lib/widemesh/runsvdir.pid 2>/dev/null) && kill -HUP "$p" && sleep 1; true' >/dev/null
  reset_host "$i"
done
mkdir -p "$ST" && cp "$TB/known_hosts" "$ST/known_hosts"

# The laptop: wm (called by its path) and git, nothing else.
mkdir -p "$WORK/bin" && ln -s "$(command -v git)" "$WORK/bin/git"
lean() { PATH="$WORK/bin" "$WM" --state-dir "$ST" "$@"; }
for tool in node npm python3 ruby go php java javac bwrap; do
  [ -z "$(PATH="$WORK/bin" command -v "$tool")" ] || fail "$tool is on the lean PATH"
done

# deploy_example NAME: copies examples/NAME, deploys it to rack "duo" as environment NAME and
# prints the platform alias's host name.
deploy_example() {
  cp -r "$WM_SOURCE_DIR/examples/$1" "$WORK/$1"
  cd "$WORK/$1"
  echo "SECRET=never-served" > .env # a dotfile the static site must not serve
  cat >> widemesh.yaml <<YAML
racks:
  duo:
    alias_domain: wm.test
    servers:
      - {address: $(addr 11), key: $TB/id_ed25519}
      - {address: $(addr 12), key: $TB/id_ed25519}
environments:
  $1:
    racks: [duo]
YAML
  git init -q . && commit_all "initial"
  lean rack bootstrap duo > "$WORK/$1.bootstrap" 2>&1 || { cat "$WORK/$1.bootstrap"; fail "bootstrap for $1"; }
  lean deploy -e "$1" > "$WORK/$1.deploy" 2>&1 || { cat "$WORK/$1.deploy"; fail "deploy of $1"; }
  grep -q "Building stack .* from HEAD on $(addr 11)" "$WORK/$1.deploy" || { cat "$WORK/$1.deploy"; fail "$1 was not built on $(addr 11)"; }
  grep -q "$(addr 12): .*fetched from $(addr 11)" "$WORK/$1.deploy" || { cat "$WORK/$1.deploy"; fail "$(addr 12) did not fetch $1's slug from the builder"; }
  grep -o 'http://[^ ]*\.wm\.test' "$WORK/$1.deploy" | head -n 1 | sed 's|http://||'
}

get() { curl -sS -m 5 -H "Host: $2" "http://$(addr "$1")$3"; } # I HOST PATH

for ex in node python ruby php go java static polyglot procfile; do
  host=$(deploy_example "$ex")
  want="hello from $ex"
  [ "$ex" = polyglot ] && want="hello from polyglot frontend"
  for i in "${H[@]}"; do
    expect_contains "$(get "$i" "$host" /)" "$want" "$ex answers through the proxy of $(hname "$i")"
  done
  echo "$ex: deployed, answers on $host" >&2
done

# The bootstrap of each app installed what its buildpack declares (run-packages, and for the
# builder build-packages).
expect_contains "$(cat "$WORK/java.bootstrap")" "openjdk-17-jre-headless" "java's bootstrap installs a headless JRE"
expect_contains "$(cat "$WORK/java.bootstrap")" "openjdk-17-jdk-headless" "java's bootstrap installs a JDK to build with"
expect_contains "$(cat "$WORK/go.bootstrap")" "golang-go" "go's bootstrap installs go to build with"
expect_contains "$(cat "$WORK/ruby.bootstrap")" "ruby-webrick" "ruby's bootstrap installs webrick"

# The static site is Caddy's file server: no dotfiles, no deploy files, no listings.
host=$(grep -o 'http://[^ ]*\.wm\.test' "$WORK/static.deploy" | head -n 1 | sed 's|http://||')
for p in /.env /widemesh.yaml /.wm/Caddyfile; do
  expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "Host: $host" "http://$(addr 11)$p")" 404 "static $p"
done

for i in "${H[@]}"; do reset_host "$i"; done
echo "deploy_examples: $(($(date +%s) - started)) s for every example, built on the rack" >&2
echo ok
