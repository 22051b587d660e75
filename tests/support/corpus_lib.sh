# The corpus's expectations (tests/corpus/<case>/expected-*), shared by tests/cli/corpus_*.sh and
# tests/ssh/corpus_hosts.sh (sourced, not run). Needs WM, WM_SOURCE_DIR and testlib.sh.
# Each check prints what differs on stderr and returns 1, so a caller can go on with the next
# case and report a table (callers that stop at the first difference use `|| fail`).

CORPUS=$WM_SOURCE_DIR/tests/corpus

corpus_cases() { # every case, in name order (only those CORPUS_ONLY names, when it is set)
  local d
  for d in "$CORPUS"/*/; do
    d=$(basename "$d")
    if [ -z "${CORPUS_ONLY:-}" ] || [[ " $CORPUS_ONLY " == *" $d "* ]]; then echo "$d"; fi
  done
}

# Machine-specific words in the expectation files: {node} is `node --version`, {python} the
# version of /usr/bin/python3 (the builds run on this machine).
corpus_expand() { # file
  sed -e "s/{node}/$(node --version)/g" \
      -e "s/{python}/$(/usr/bin/python3 -c 'import platform; print(platform.python_version())')/g" "$1"
}

# wm detect --json DIR says what expected-detect.json says (its keys only), or, for a case the
# detectors refuse, fails with expected-detect-error.txt as its whole stderr.
corpus_check_detect() { # case dir
  local want_err="$CORPUS/$1/expected-detect-error.txt" got err errf rc=0
  errf=$(mktemp)
  got=$("$WM" detect --json "$2" 2>"$errf") || rc=$?
  err=$(cat "$errf") && rm -f "$errf"
  if [ -f "$want_err" ]; then
    [ "$rc" = 1 ] || { echo "$1: wm detect exited $rc, want 1" >&2; return 1; }
    [ "$err" = "$(cat "$want_err")" ] || {
      printf '%s: wm detect said\n%s\nwant\n%s\n' "$1" "$err" "$(cat "$want_err")" >&2
      return 1
    }
    return 0
  fi
  [ "$rc" = 0 ] || { echo "$1: wm detect failed: $err" >&2; return 1; }
  python3 - "$CORPUS/$1/expected-detect.json" "$got" "$1" <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))
got = json.loads(sys.argv[2])
diff = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
for k, (w, g) in diff.items():
    print(f"{sys.argv[3]}: {k}: want {json.dumps(w)}, got {json.dumps(g)}", file=sys.stderr)
sys.exit(1 if diff else 0)
PY
}

# Copies the case to DEST (without its expected-* files) as a committed git repository whose
# widemesh.yaml is the MANIFEST text followed by the case's stack.yaml, if any.
corpus_prepare() { # case dest manifest
  cp -a "$CORPUS/$1" "$2"
  rm -f "$2"/expected-*
  printf '%s\n' "$3" > "$2/widemesh.yaml"
  if [ -f "$2/stack.yaml" ]; then cat "$2/stack.yaml" >> "$2/widemesh.yaml" && rm "$2/stack.yaml"; fi
  (cd "$2" && git init -q . && git add -A &&
     git -c user.email=t@example.test -c user.name=Tester commit -qm "corpus $1")
}

corpus_refused() { [ -f "$CORPUS/$1/expected-detect-error.txt" ]; } # case
corpus_fails() { [ -f "$CORPUS/$1/expected-failure.txt" ]; }        # case: the deploy must fail

# The deploy's exit code and output are what the case expects: a failing case exits 1 with every
# line of expected-failure.txt in its output; any other case exits 0 with every line of
# expected-build.txt (build messages) in its output.
corpus_check_deploy() { # case rc output
  local want="$CORPUS/$1/expected-build.txt" rc_want=0 line ok=0
  if corpus_fails "$1" || corpus_refused "$1"; then want="$CORPUS/$1/expected-failure.txt" rc_want=1; fi
  [ "$2" = "$rc_want" ] || { printf '%s: wm deploy exited %s, want %s\n%s\n' "$1" "$2" "$rc_want" "$3" >&2; return 1; }
  [ -f "$want" ] || return 0
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    case "$3" in *"$line"*) ;; *) printf '%s: missing from the deploy output: %s\n' "$1" "$line" >&2; ok=1 ;; esac
  done < <(corpus_expand "$want")
  [ "$ok" = 0 ] || printf -- '--- output of %s\n%s\n' "$1" "$3" >&2
  return "$ok"
}

# Every line "PATH STATUS [TEXT]" of expected-answer.txt: GET PATH answers STATUS, and its body
# contains TEXT. BASE is the URL to prefix, HOST the Host header (empty: the URL's own).
corpus_check_answers() { # case base host
  local path status text got body ok=0 hdr=()
  [ -n "$3" ] && hdr=(-H "Host: $3")
  while read -r path status text; do
    [ -n "$path" ] || continue
    body=$(curl -sS -m 10 "${hdr[@]}" -w '\n%{http_code}' "$2$path" 2>&1) || true
    got=${body##*$'\n'} body=${body%$'\n'*}
    if [ "$got" != "$status" ]; then
      printf '%s: GET %s answered %s, want %s: %s\n' "$1" "$path" "$got" "$status" "$body" >&2; ok=1
    elif [ -n "$text" ] && [[ "$body" != *"$text"* ]]; then
      printf '%s: GET %s: want %s in\n%s\n' "$1" "$path" "$text" "$body" >&2; ok=1
    fi
  done < "$CORPUS/$1/expected-answer.txt"
  return "$ok"
}
