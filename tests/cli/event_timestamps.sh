#!/bin/bash
# Long commands say when each step happened: every --json event carries `ts` (UTC, RFC 3339 with
# milliseconds) and `elapsed_ms` (since the command started, never decreasing); with -v the
# terminal's step lines start with the seconds since the start; without -v they do not.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app static

"$WM" build --json >"$WORK/events" 2>/dev/null
[ "$(wc -l <"$WORK/events")" -ge 3 ] || fail "expected several events, got: $(cat "$WORK/events")"
ts_ok=$(jq -s 'map(select(.event != "result") | .ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")) | all' "$WORK/events")
expect_eq "$ts_ok" true "every event has an RFC 3339 ts"
expect_eq "$(jq -s '[.[] | select(.event != "result") | .elapsed_ms | type] | unique | join(",")' "$WORK/events")" \
    '"number"' "elapsed_ms is a number on every event"
expect_eq "$(jq -s '[.[] | select(.event != "result") | .elapsed_ms] | . == sort' "$WORK/events")" true \
    "elapsed_ms never decreases"

err=$("$WM" build -v 2>&1 >/dev/null)
grep -Eq '^\[ *[0-9]+\.[0-9]{3}s\] ==> exporting app at HEAD$' <<<"$err" ||
    fail "-v step line without elapsed seconds: $err"
err=$("$WM" build 2>&1 >/dev/null)
expect_eq "$(head -n 1 <<<"$err")" "==> exporting app at HEAD" "plain step line"
grep -q '^\[' <<<"$err" && fail "elapsed seconds shown without -v: $err"
exit 0
