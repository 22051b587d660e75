#!/bin/bash
# wm build on a committed copy of examples/polyglot: both stacks build, a rebuild is reused, a
# dirty tree is refused, --json gives release.json, and the backend's slug answers over HTTP.
set -euo pipefail
: "${WM:?}" "${WM_SOURCE_DIR:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$WM_SOURCE_DIR/tests/support/testlib.sh"
export WM_HOME="$T/state" GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com \
       GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com
cp -r "$WM_SOURCE_DIR/examples/polyglot" "$T/repo" && cd "$T/repo"
git init -q . && git add -A && git commit -qm "polyglot example"
short=$(git rev-parse --short=7 HEAD)

out=$("$WM" build 2>"$T/log")
grep -q "^==> compiling with node" "$T/log" || fail "no node compile: $(cat "$T/log")"
grep -q "^==> compiling with python" "$T/log" || fail "no python compile"
echo "$out" | grep -qE "^frontend $short: $T/state/slugs/[0-9a-f]{64}\.tar\.zst$" || fail "frontend: $out"
echo "$out" | grep -qE "^backend $short: $T/state/slugs/[0-9a-f]{64}\.tar\.zst$" || fail "backend: $out"
# The state dir and its slugs belong to their owner alone, whichever command created them.
[ "$(stat -c %a "$T/state")" = 700 ] || fail "state dir mode $(stat -c %a "$T/state")"
for f in "$T"/state/slugs/*.tar.zst; do
  [ "$(stat -c %a "$f")" = 600 ] || fail "slug $f mode $(stat -c %a "$f")"
done

out=$("$WM" build -s backend 2>"$T/log")
echo "$out" | grep -q "reused: same commit and config already built" || fail "not reused: $out"
grep -q "compiling" "$T/log" && fail "reuse compiled again"

json=$("$WM" build -s backend --json | tail -n1)
slug=$(python3 - "$json" "$short" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
b = d["builds"][0]
r = b["release"]
assert d["event"] == "result" and b["stack"] == "backend" and b["reused"], d
assert r["short_commit"] == sys.argv[2] and r["subject"] == "polyglot example", r
assert r["process_types"] == {"web": "python app.py", "worker": "python worker.py"}, r
assert r["release_command"] == "python release.py" and r["buildpacks"] == ["python"], r
assert r["slug_sha256"] == b["sha256"] and r["dirty"] is False, r
print(b["slug"])
PY
) || fail "json: $json"
[ "$(sha256sum "$slug" | cut -c1-64)" = "$(basename "$slug" .tar.zst)" ] || fail "slug name is not its sha256"

echo "# changed" >> backend/app.py
set +e
"$WM" build -s backend >/dev/null 2>"$T/err"; rc=$?; err=$(tail -n1 "$T/err")
set -e
[ $rc -eq 1 ] || fail "dirty build exit $rc"
[ "$err" = "wm: error: building stack backend: working tree has uncommitted changes to tracked files (backend/app.py); commit them or pass --allow-dirty" ] ||
  fail "dirty message: $err"
"$WM" build -s backend --allow-dirty 2>/dev/null | grep -q "^backend $short (dirty): " || fail "allow-dirty"
git checkout -q backend/app.py

set +e
"$WM" build -s nope >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "unknown stack exit $rc"

# Run the backend's web process from the extracted slug at /app, as a server would: `python`
# is the venv's, put first on PATH by the profile script the python buildpack wrote.
mkdir "$T/run" && tar --zstd -xf "$slug" -C "$T/run"
port=$((22000 + RANDOM % 2000))
bwrap --die-with-parent --unshare-pid --ro-bind /usr /usr --symlink usr/lib /lib \
  --symlink usr/lib64 /lib64 --symlink usr/bin /bin --ro-bind /etc /etc --proc /proc --dev /dev \
  --tmpfs /tmp --ro-bind "$T/run" /app --chdir /app --setenv PORT $port \
  /bin/bash -c '. .profile.d/wm-python.sh && python app.py' 2>/dev/null &
pid=$!
for i in $(seq 100); do
  body=$(curl -sf "http://127.0.0.1:$port/" 2>/dev/null) && break
  sleep 0.1
done
kill $pid
[ "${body:-}" = "hello from polyglot backend" ] || fail "backend answered '${body:-}'"
echo "ok"
