#!/bin/bash
# The corpus on a test host: every app of tests/corpus is detected as expected (wm detect --json),
# builds, deploys to a one-server rack of a fresh test host (one environment per app) and
# answers what its expected-answer.txt says through the server's proxy; the failing cases fail
# with their exact text. Bootstraps once per buildpack (run-packages accumulate). Prints the
# result table (app, detect, build+deploy, answer) and fails if any row differs.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
source "$WM_SOURCE_DIR/tests/support/corpus_lib.sh"
H=7
tb ssh "$H" 'p=$(cat /var/lib/widemesh/runsvdir.pid 2>/dev/null) && kill -HUP "$p" && sleep 1; true' >/dev/null
reset_host "$H"
mkdir -p "$ST" && cp "$TB/known_hosts" "$ST/known_hosts"

bad=0 rows="" bootstrapped=" "
for case in $(corpus_cases); do
  detect=ok deploy=ok answer=ok
  corpus_check_detect "$case" "$CORPUS/$case" || detect=FAIL
  corpus_prepare "$case" "$WORK/$case" "app: corpus-$case
racks:
  corpus:
    alias_domain: wm.test
    servers:
      - {address: $(addr "$H"), key: $TB/id_ed25519}
environments:
  $case:
    racks: [corpus]"
  cd "$WORK/$case"
  # The first app of each buildpack bootstraps the server: it installs that buildpack's run-packages.
  kind=$("$WM" detect --json . 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["buildpack"])' || echo none)
  if ! corpus_refused "$case" && [[ "$bootstrapped" != *" $kind "* ]]; then
    echo "corpus: bootstrapping for $kind ($case)" >&2
    wm rack bootstrap corpus > "$WORK/$case.bootstrap" 2>&1 || { cat "$WORK/$case.bootstrap"; fail "bootstrap for $case"; }
    bootstrapped+="$kind "
  fi
  echo "corpus: deploying $case" >&2
  # Built here, as tests/cli/corpus_deploy.sh builds them, so both tables compare (yarn is here).
  rc=0 && OUT=$(wm deploy -v --build local -e "$case" 2>&1) || rc=$?
  corpus_check_deploy "$case" "$rc" "$OUT" || deploy=FAIL
  if corpus_refused "$case"; then
    [ "$deploy" = ok ] && deploy="refused as expected" answer=-
  elif corpus_fails "$case"; then
    [ "$deploy" = ok ] && deploy="fails as expected" answer=-
  else
    host=$(grep -o 'http://[^ ]*\.wm\.test' <<<"$OUT" | head -n 1 | sed 's|http://||' || true)
    corpus_check_answers "$case" "http://$(addr "$H")" "$host" || answer=FAIL
  fi
  rows+=$(printf '| %-24s | %-6s | %-20s | %-6s |' "$case" "$detect" "$deploy" "$answer")$'\n'
  case "$detect $deploy $answer" in *FAIL*) bad=$((bad + 1)) ;; esac
  cd "$WORK"
done
printf '| %-24s | %-6s | %-20s | %-6s |\n%s' app detect "build+deploy" answer "$rows"

reset_host "$H"
n=$(corpus_cases | wc -l)
[ "$n" -ge 30 ] || fail "only $n corpus cases"
[ "$bad" = 0 ] || fail "$bad of $n corpus cases differ from their expectations (table above)"
echo "ok ($n cases)"
