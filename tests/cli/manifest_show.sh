#!/bin/bash
# wm manifest show: the resolved view of an environment (overlays applied, defaults filled) as
# YAML text and JSON; unknown environment and region name the known ones; read-only.
. "$WM_SOURCE_DIR/tests/fixtures/manifests/testlib.bash"
cd "$WM_SOURCE_DIR"

"$WM" manifest show -f widemesh.example.yaml -e production --region eu-west > "$T/out"
diff -u "$F/example_production_eu-west.yaml" "$T/out" || fail "show text differs"

json=$("$WM" manifest show -f widemesh.example.yaml -e production --json)
python3 - "$json" <<'PY' || fail "json: $json"
import json, sys
d = json.loads(sys.argv[1])
assert list(d["racks"]) == ["eu", "us"], d["racks"].keys()
eu, us = d["racks"]["eu"], d["racks"]["us"]
assert eu["stacks"]["web"]["services"]["web"]["instances"] == 3
assert us["stacks"]["web"]["services"]["web"]["instances"] == 2
assert eu["stacks"]["web"]["config"] == {"GREETING": "hello", "LOG_LEVEL": "warn"}
assert us["stacks"]["web"]["config"] == {"GREETING": "hello", "LOG_LEVEL": "info"}
assert us["alias"] == "shop-production.us.example.net" and us["http_port"] == 80
assert d["endpoints"]["shop.example.com"]["routes"] == {"/": "web.web", "/api": "api.web"}
PY

out=$("$WM" manifest show -f widemesh.example.yaml -e prod 2>&1) && fail "unknown env accepted"
[ "$out" = 'wm: error: unknown environment "prod" (known: production, staging)' ] || fail "$out"
out=$("$WM" manifest show -f widemesh.example.yaml --region mars 2>&1) && fail "bad region accepted"
[ "$out" = 'wm: error: environment "production" has no rack in region "mars" (regions: eu-west, us-east)' ] || fail "$out"

# Defaults for a one-line manifest: the local rack, production, stack "app" at ".".
cd "$T" && echo "app: shop" > widemesh.yaml
"$WM" manifest show > "$T/out"
diff -u - "$T/out" <<'YAML' || fail "defaults differ"
app: shop
environment: production
keep_releases: 5
config: {}
racks:
  local:
    provider: local
    region: local
    alias: shop-production.localhost
    http_port: 7480
    https_port: 0
    servers: []
    stacks:
      app:
        path: .
        formula: buildpack
        buildpacks: []
        release: ""
        config: {}
        services: {}
endpoints: {}
YAML
assert_no_state "wm manifest show"
echo ok
