#!/bin/bash
# wm init: writes the commented scaffold (language from marker files, app name from the
# directory), which validates; refuses to overwrite without --force; works from any cwd with
# the binary copied elsewhere (templates are embedded).
. "$WM_SOURCE_DIR/tests/fixtures/manifests/testlib.bash"
cp "$WM" "$T/wm" && WM="$T/wm"

mkdir -p "$T/My Shop" && cd "$T/My Shop" && echo '{}' > package.json
out=$("$WM" init)
[ "$out" = $'wrote widemesh.yaml for app my-shop (the build would refuse it: node buildpack: package.json has no scripts.start and there is no server.js, index.js or Procfile to run)\nnext: fix that, wm validate, then wm deploy (serves http://my-shop-production.localhost:7480)' ] || fail "init claims a language the build refuses: $out"
grep -qx "    # Detected: nothing yet (add a Procfile, or a marker file such as package.json)." widemesh.yaml || fail "refused scaffold: $(cat widemesh.yaml)"
rm widemesh.yaml && touch server.js
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
[ "$out" = '{"app":"my-shop","buildpack":"node","file":"widemesh.yaml","marker":"package.json","overwritten":true,"procfile":false,"refused":""}' ] || fail "json: $out"
diff -q "$F/init_node.yaml" widemesh.yaml >/dev/null || fail "--force did not rewrite"

mkdir -p "$T/py_api" && cd "$T/py_api" && printf 'web: python3 app.py\n' > Procfile && touch requirements.txt
"$WM" init >/dev/null
grep -qx "app: py-api" widemesh.yaml || fail "app name"
grep -qx "    # Detected: python (requirements.txt)." widemesh.yaml || fail "python not detected"
grep -qx "    # (here: from the Procfile)." widemesh.yaml || fail "Procfile not mentioned"
"$WM" validate >/dev/null || fail "python scaffold invalid"
mkdir -p "$T/maven" && cd "$T/maven" && touch pom.xml index.html
out=$("$WM" init --json)
[ "$out" = '{"app":"maven","buildpack":"","file":"widemesh.yaml","marker":"","overwritten":false,"procfile":false,"refused":"java buildpack: pom.xml needs Maven Central, which cannot be reached from here; use a dependency-free javac project (system.properties and src/)"}' ] || fail "maven: $out"
assert_no_state "wm init"
echo ok
