#!/bin/bash
# Deploys every corpus app to the local rack (one environment each, side by side) and checks what
# each case's expected-* files say: the deploy's output (build messages, or the failure's exact
# text), then its answers over HTTP. Covers the run-time contract (PATH with the app's bin dirs,
# .profile.d, config_vars, npm start's hooks), each kind of app, static sites served by Caddy,
# source export, the health rule and failures that explain themselves. Prints a result table.
# CORPUS_ONLY="case ..." deploys only those cases.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
. "$WM_SOURCE_DIR/tests/support/corpus_lib.sh"
WORK=$(mktemp -d /tmp/wm-corpus-test.XXXXXX)
export WM_HOME="$WORK/state" HOME="$WORK/home"
mkdir -p "$HOME" "$WM_HOME"
trap cleanup EXIT
PORT=$(free_port)

bad=0 rows=""
for case in $(corpus_cases); do
  detect=ok deploy=ok answer=ok
  corpus_prepare "$case" "$WORK/$case" "app: corpus-$case
racks:
  local:
    provider: local
    http_port: $PORT
environments:
  $case:
    racks: [local]"
  corpus_check_detect "$case" "$WORK/$case" || detect=FAIL
  echo "corpus: deploying $case" >&2
  rc=0 && OUT=$(cd "$WORK/$case" && "$WM" deploy -v -e "$case" 2>&1) || rc=$?
  corpus_check_deploy "$case" "$rc" "$OUT" || deploy=FAIL
  if corpus_refused "$case"; then
    [ "$deploy" = ok ] && deploy="refused as expected" answer=-
  elif corpus_fails "$case"; then
    [ "$deploy" = ok ] && deploy="fails as expected" answer=-
  else
    URL=$(grep -o "http://[^ ]*localhost:$PORT" <<<"$OUT" | head -n 1 || true)
    corpus_check_answers "$case" "$URL" "" || answer=FAIL
  fi
  rows+=$(printf '%-24s %-6s %-20s %s' "$case" "$detect" "$deploy" "$answer")$'\n'
  case "$detect $deploy $answer" in *FAIL*) bad=$((bad + 1)) ;; esac
done
printf '%-24s %-6s %-20s %s\n%s' app detect "build+deploy" answer "$rows"

# What the expectation files cannot say: compression, and one service per Procfile type under
# the DNS-label names that wm detect noted.
if [ -d "$WORK/static-root" ]; then
  URL="http://corpus-static-root-static-root.localhost:$PORT"
  expect_contains "$(curl -sS -m 5 -D - -o /dev/null -H 'Accept-Encoding: gzip' "$URL/assets/site.css")" "Content-Encoding: gzip" "static: compressed"
fi
if [ -d "$WORK/procfile-bom-crlf" ]; then
  ps=$(cd "$WORK/procfile-bom-crlf" && "$WM" ps -e procfile-bom-crlf 2>&1)
  expect_contains "$ps" "worker-email" "wm ps: worker_email runs as worker-email"
  expect_contains "$ps" "clock" "wm ps: Clock runs as clock"
fi

n=$(corpus_cases | wc -l)
[ -n "${CORPUS_ONLY:-}" ] || [ "$n" -ge 30 ] || fail "only $n corpus cases"
[ "$bad" = 0 ] || fail "$bad of $n corpus cases differ from their expectations (table above)"
echo "ok ($n cases)"
