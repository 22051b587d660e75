#!/bin/bash
# The default health rule: with no health.path, any answer below 500 at / means up (a login
# redirect, an API's 404), and the proxy keeps routing to such an app; a configured path still
# needs 2xx.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
app() { # status-at-/
    cat >app.js <<JS
const http = require("http");
http.createServer((req, res) => {
  if (req.url === "/login") { res.writeHead(200); return res.end("login page\n"); }
  res.writeHead($1, { Location: "/login" });
  res.end("status $1\n");
}).listen(Number(process.env.PORT), "0.0.0.0");
JS
}
manifest() { # health lines
    local_manifest "$PORT" <<YAML
stacks:
  app:
    services:
      web:
        command: node app.js
$1
YAML
}
URL="http://hello-node-production.localhost:$PORT"
status() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$URL$1"; }

app 302
manifest ""
commit_all "login redirect at /"
"$WM" deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "302 at / is healthy"; }
expect_eq "$(status /)" "302" "the proxy passes the redirect"
expect_eq "$(curl -fsS -m 5 "$URL/login")" "login page" "the app serves"

app 404
commit_all "an API: 404 at /"
"$WM" deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "404 at / is healthy"; }
expect_eq "$(status /)" "404" "the proxy routes to an app answering 404 at /"
sleep 5 # two rounds of the proxy's health checks: it must not take the app out
expect_eq "$(status /)" "404" "still routed after the proxy's health checks"

app 302
manifest "        health: {path: /, timeout: 15} # long enough for node to start on a loaded machine"
commit_all "configured path answering 302"
rc=0; "$WM" deploy >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "$rc" "1" "a configured path needs 2xx"
expect_contains "$(cat "$WORK/err")" "wm: error: server local: step health check: 1 of 1 new instance(s) not healthy:
hello-node.production.app.web.v2.1 answered 302 at /; stacks.app.services.web.health.path must answer 2xx
last log lines of hello-node.production.app.web.v2.1:
" "the answer is named"
expect_eq "$(status /)" "404" "the old release keeps serving"

manifest "        health: {path: /login, timeout: 10}"
commit_all "configured path answering 200"
"$WM" deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "2xx at the path"; }
expect_eq "$(status /)" "302" "new release serves"
echo ok
