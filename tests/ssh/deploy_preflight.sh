#!/bin/bash
# A server whose runtime was removed after bootstrap fails the next deploy at preflight, naming
# the server, stack, command and package, before anything starts (no lease taken, the old release
# keeps serving); `wm rack bootstrap` puts the package back and the deploy goes through.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(1 2) # hosts of deploy_failures (already bootstrapped when run after it)
setup_rack "${H[@]}"
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "first deploy"; }
serves() { # body what
  for i in "${H[@]}"; do expect_eq "$(alias_get "$i" /)" "$1" "$2 ($(hname "$i"))"; done
}
serves "hello from node" "v0 serves"

tb ssh 2 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq nodejs >/dev/null 2>&1 && ! command -v node' \
  >/dev/null || fail "removing nodejs from $(hname 2)"
sed -i 's/hello from node/hello v1/' server.js && commit_all "v1"
start=$(date +%s%N)
rc=0; wm deploy >/dev/null 2>"$WORK/err" || rc=$?
echo "deploy stopped at preflight after $((($(date +%s%N) - start) / 1000000)) ms" >&2
expect_eq "$rc" 1 "preflight failure exit code"
expect_eq "$(grep '^wm: error' "$WORK/err")" "wm: error: server $(addr 2): step preflight: stack app needs node (Debian package nodejs); run 'wm rack bootstrap trio'" "preflight message"
serves "hello from node" "old release after the preflight failure"
expect_contains "$(wm lock status)" "(free)" "no lease left behind"

out=$(wm rack bootstrap trio 2>"$WORK/err") || { cat "$WORK/err"; fail "bootstrap after removal"; }
expect_contains "$out" "$(addr 2): installed nodejs" "bootstrap reinstalls the runtime"
wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy after bootstrap"; }
serves "hello v1" "the deploy after bootstrap"
echo ok
