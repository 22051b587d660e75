#!/bin/bash
# wm init: writes the commented scaffold (language from marker files, app name from the
# directory), which validates; refuses to overwrite without --force; works from any cwd with
# the binary copied elsewhere (templates are embedded).
. "$WM_SOURCE_DIR/tests/fixtures/manifests/testlib.bash"
cp "$WM" "$T/wm" && WM="$T/wm"

mkdir -p "$T/My Shop" && cd "$T/My Shop" && echo '{}' > package.json
out=$("$WM" init)
[ "$out" = $'wrote widemesh.yaml for app my-shop (detected node from package.json)\nnext: wm validate, then wm deploy (serves http://my-shop-production.localhost:7480)' ] || fail "init: $out"
diff -u "$F/init_node.yaml" widemesh.yaml || fail "scaffold differs"
[ "$("$WM" validate)" = "widemesh.yaml: ok (app my-shop: 1 stack, 0 services, 1 environment)" ] || fail "scaffold invalid"

echo "# mine" >> widemesh.yaml
rc=0; err=$("$WM" init 2>&1) || rc=$?
[ $rc = 1 ] || fail "overwrite: exit $rc"
[ "$err" = $'wm: error: widemesh.yaml already exists; not overwriting it\nhint: wm init --force replaces it; wm validate checks the one you have' ] || fail "overwrite: $err"
tail -n1 widemesh.yaml | grep -qx "# mine" || fail "file was changed"

out=$("$WM" init --force --json)
[ "$out" = '{"app":"my-shop","buildpack":"node","file":"widemesh.yaml","marker":"package.json","overwritten":true,"procfile":false}' ] || fail "json: $out"
diff -q "$F/init_node.yaml" widemesh.yaml >/dev/null || fail "--force did not rewrite"

mkdir -p "$T/py_api" && cd "$T/py_api" && printf 'web: python3 app.py\n' > Procfile && touch requirements.txt
"$WM" init >/dev/null
grep -qx "app: py-api" widemesh.yaml || fail "app name"
grep -qx "    # Detected: python (requirements.txt)." widemesh.yaml || fail "python not detected"
grep -qx "    # (here: from the Procfile)." widemesh.yaml || fail "Procfile not mentioned"
"$WM" validate >/dev/null || fail "python scaffold invalid"
assert_no_state "wm init"
echo ok
