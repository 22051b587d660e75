#!/bin/bash
# Failures that explain themselves: a web process that crashes at once fails the deploy after a
# few restarts (not after health.timeout), one that listens on another port is told which, a
# slow boot names health.timeout; the instance's last log lines follow; a failed first deploy
# says nothing was serving before.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
manifest() { # command timeout
    local_manifest "$PORT" <<YAML
stacks:
  app:
    services:
      web:
        command: '$1'
        health: {timeout: $2}
YAML
}
URL="http://hello-node-production.localhost:$PORT"
deploy_fails() { # what
    rc=0; "$WM" deploy >/dev/null 2>"$WORK/err" || rc=$?
    expect_eq "$rc" "1" "$1: exit code"
    ERR=$(cat "$WORK/err")
}
port_of() { # instance: the port wm started it on
    sed -n "s/.*started $1 on port \([0-9]*\).*/\1/p" "$WORK/err"
}

manifest "echo boom: no database; exit 3" 900
commit_all "crashes at once"
start=$(date +%s)
deploy_fails "crash"
took=$(( $(date +%s) - start ))
[ "$took" -lt 300 ] || fail "a crash loop took $took s to fail (health.timeout is 900 s)"
expect_contains "$ERR" "wm: error: server local: step health check: 1 of 1 new instance(s) not healthy:
hello-node.production.app.web.v0.1 exits right after it starts (restarted 3 times); gave up without waiting for the timeout
last log lines of hello-node.production.app.web.v0.1:
" "crash explained"
expect_contains "$ERR" "boom: no database" "the log follows"
expect_contains "$ERR" "deploy failed; nothing was serving before this deploy, so nothing serves now" "first deploy"

manifest "node server.js" 30
commit_all "good"
"$WM" deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "good deploy"; }
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "v1 serves"

OTHER=$(free_port)
manifest "PORT=$OTHER node server.js" 30
commit_all "listens on another port"
deploy_fails "wrong port"
expect_contains "$ERR" "1 of 1 new instance(s) not healthy:
hello-node.production.app.web.v2.1 never listened on \$PORT ($(port_of hello-node.production.app.web.v2.1)); it listens on port $OTHER instead: make it listen on the port in the PORT environment variable
last log lines of hello-node.production.app.web.v2.1:
" "wrong port named"
expect_contains "$ERR" "deploy failed; the previous release keeps serving" "v1 keeps serving"
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello from node" "v1 still serves"

# 8 s, not less: on a loaded machine the sandbox may take seconds before the echo runs.
manifest "echo booting slowly; exec sleep 600" 8
commit_all "slow boot"
deploy_fails "slow boot"
expect_contains "$ERR" "1 of 1 new instance(s) not healthy:
hello-node.production.app.web.v3.1 never listened on \$PORT ($(port_of hello-node.production.app.web.v3.1)) within 8 s; if it boots slowly, raise stacks.app.services.web.health.timeout (now 8 s)
last log lines of hello-node.production.app.web.v3.1:
" "slow boot names the setting"
expect_contains "$ERR" "booting slowly" "the log follows"
echo ok
