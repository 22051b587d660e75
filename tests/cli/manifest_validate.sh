#!/bin/bash
# wm validate: ok on the example; every problem of a bad file with its position and exit 1;
# invalid YAML at the parser's position; missing file; bad flag exit 2; --json; read-only.
. "$WM_SOURCE_DIR/tests/fixtures/manifests/testlib.bash"
cd "$WM_SOURCE_DIR"
expect 0 "widemesh.example.yaml: ok (app shop: 2 stacks, 4 services, 2 environments)" "" -- \
    "$WM" validate widemesh.example.yaml

cp "$F/bad.yaml" "$T/bad.yaml" && cd "$T"
expect 1 "" "$(cat "$F/bad.expected")" -- "$WM" validate -f bad.yaml

printf 'app: shop\nstacks: [web\n' > widemesh.yaml
expect 1 "" 'widemesh.yaml:3:1: invalid YAML: end of sequence flow not found
wm: error: widemesh.yaml is invalid (1 problem)' -- "$WM" validate

expect 1 "" "wm: error: nope.yaml: no such file (run 'wm init' to write one)" -- \
    "$WM" validate -f nope.yaml

mkdir "$T/dir.yaml"
expect 1 "" "wm: error: $T/dir.yaml: is a directory, not a manifest file" -- "$WM" validate "$T/dir.yaml"
expect 2 "" "wm: error: give the manifest either as FILE or with -f, not both" -- \
    "$WM" validate a.yaml -f b.yaml

"$WM" validate --frobnicate >/dev/null 2>&1 && fail "bad flag accepted" || [ $? = 2 ] || fail "bad flag: not exit 2"

printf 'app: shop\nstacks:\n  web: {servces: {}}\n' > widemesh.yaml
expect 1 '{"file":"widemesh.yaml","problems":[{"column":9,"file":"widemesh.yaml","key_path":"stacks.web.servces","line":3,"message":"unknown key \"servces\" (did you mean \"services\"?)"}],"valid":false}' \
    "wm: error: widemesh.yaml is invalid (1 problem)" -- "$WM" validate --json

# A rack registered in the state directory may be named by an environment.
printf 'app: shop\nenvironments:\n  production: {racks: [mars]}\n' > widemesh.yaml
"$WM" validate >/dev/null 2>&1 && fail "unknown rack accepted"
assert_no_state "wm validate"
"$WM" rack add mars --server root@10.9.0.1 >/dev/null
expect 0 "widemesh.yaml: ok (app shop: 1 stack, 0 services, 1 environment)" "" -- "$WM" validate
"$WM" manifest show --json | grep -q '"racks":{"mars":{"provider":"static","region":"mars"' ||
    fail "registered rack not resolved"
echo ok
