#!/bin/bash
# Config values arrive byte-exact in an instance's environment and the release command's:
# trailing spaces, tabs and newlines kept, quotes and dollars untouched.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
cat >app.js <<'JS'
const http = require("http");
const names = ["PADDED", "TABBED", "LINES", "EMPTY", "QUOTED"];
http.createServer((req, res) => {
  res.end(JSON.stringify(names.map((n) => process.env[n])) + "\n");
}).listen(Number(process.env.PORT), "0.0.0.0");
JS
local_manifest "$PORT" <<'YAML'
stacks:
  app:
    release: printf '<%s>' "$PADDED"
    config:
      PADDED: "  two leading, two trailing  "
      TABBED: "tab at the end\t"
      LINES: "line one\nline two\n\n"
      EMPTY: ""
      QUOTED: "it's \"$HOME\" and a backslash \\ "
    services:
      web:
        command: node app.js
YAML
commit_all "config with blanks"
"$WM" deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy"; }
expect_eq "$(curl -fsS -m 5 "http://hello-node-production.localhost:$PORT/")" \
    '["  two leading, two trailing  ","tab at the end\t","line one\nline two\n\n","","it'"'"'s \"$HOME\" and a backslash \\ "]' \
    "the instance sees every value byte-exact"
expect_contains "$("$WM" deployments show v0)" "local: <  two leading, two trailing  >" \
    "the release command sees it too"
echo ok
