#!/bin/bash
# Every corpus app is detected as its expected-detect.json says (the keys written there).
set -euo pipefail
: "${WM:?}" "${WM_SOURCE_DIR:?}"
. "$WM_SOURCE_DIR/tests/support/testlib.sh"
n=0
for dir in "$WM_SOURCE_DIR"/tests/corpus/*/; do
  case=$(basename "$dir")
  [ -f "$dir/expected-detect.json" ] || fail "$case: no expected-detect.json"
  got=$("$WM" detect --json "$dir") || fail "$case: wm detect failed"
  python3 - "$dir/expected-detect.json" "$got" "$case" <<'PY' || fail "$case: detection differs"
import json, sys
want = json.load(open(sys.argv[1]))
got = json.loads(sys.argv[2])
diff = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
if diff:
    for k, (w, g) in diff.items():
        print(f"{sys.argv[3]}: {k}: want {json.dumps(w)}, got {json.dumps(g)}", file=sys.stderr)
    sys.exit(1)
PY
  n=$((n + 1))
done
[ "$n" -ge 14 ] || fail "only $n corpus cases"
echo "ok ($n cases)"
