#!/bin/bash
# Every corpus app is detected as its expected-detect.json says (the keys written there), or
# refused with exactly its expected-detect-error.txt.
set -euo pipefail
: "${WM:?}" "${WM_SOURCE_DIR:?}"
. "$WM_SOURCE_DIR/tests/support/testlib.sh"
. "$WM_SOURCE_DIR/tests/support/corpus_lib.sh"
n=0
for case in $(corpus_cases); do
  [ -f "$CORPUS/$case/expected-detect.json" ] || corpus_refused "$case" ||
    fail "$case: no expected-detect.json or expected-detect-error.txt"
  [ -f "$CORPUS/$case/expected-answer.txt" ] || corpus_refused "$case" || corpus_fails "$case" ||
    fail "$case: no expected-answer.txt"
  corpus_check_detect "$case" "$CORPUS/$case" || fail "$case: detection differs"
  n=$((n + 1))
done
[ "$n" -ge 30 ] || fail "only $n corpus cases"
echo "ok ($n cases)"
