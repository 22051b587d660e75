#!/bin/bash
# The sandbox on the local rack: the probe app (tests/ssh/probe) deployed to production and
# staging; from inside each instance every escape is refused, each environment runs as its
# own uid (stable across a redeploy), and the files at rest are root's and the tenant's only.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
. "$WM_SOURCE_DIR/tests/support/probe.sh"
[ "$(id -u)" = 0 ] || { echo "needs root (tenant uids)"; exit 1; }
WORK=$(mktemp -d /tmp/wm-deploy-test.XXXXXX)
export WM_HOME="$WORK/state" HOME="$WORK/home"
mkdir -p "$HOME" "$WM_HOME" "$WORK/app"
trap cleanup EXIT
cp "$WM_SOURCE_DIR"/tests/ssh/probe/* "$WORK/app/"
cd "$WORK/app"
PORT=$(free_port)
ROOT="$WM_HOME/local"
local_manifest "$PORT" <<YAML
environments:
  production:
    config:
      PROBE_SECRET: production-secret
      PROBE_OTHER: staging
      PROBE_PATHS: $ROOT:$ROOT/apps/hello-node/staging:$WORK
  staging:
    config:
      PROBE_SECRET: staging-secret
      PROBE_OTHER: production
      PROBE_PATHS: $ROOT:$ROOT/apps/hello-node/production:$WORK
stacks:
  app:
    services:
      web:
        command: /usr/bin/python3 app.py
        health:
          path: /health
YAML
git init -q . && commit_all "probe"
for env in production staging; do
    "$WM" deploy -e "$env" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy $env"; }
done

probe() { curl -fsS -m 10 "http://hello-node-$1.localhost:$PORT/probe"; }
declare -A UID_OF
for env in production staging; do
    out=$(probe "$env") || fail "probe $env"
    expect_probe_ok "$out" "$env"
    expect_contains "$out" "own_config=ok $env-secret" "$env reads its own config"
    expect_contains "$out" "passwd=ok wm-hello-node-$env" "$env's passwd names its user"
    UID_OF[$env]=$(sed -n 's/^uid=ok //p' <<<"$out")
done
[ "${UID_OF[production]}" != "${UID_OF[staging]}" ] || fail "production and staging share a uid"
expect_eq "$(sort "$ROOT/tenants/uids")" "$(printf '%s hello-node.production\n%s hello-node.staging' "${UID_OF[production]}" "${UID_OF[staging]}" | sort)" "tenants recorded"

# Files at rest: slugs root's alone; each environment's tree and logs root:<its gid> 0750.
expect_eq "$(stat -c '%a %u' "$ROOT/slugs")" "700 0" "slugs dir"
expect_eq "$(stat -c '%a %u' "$ROOT"/slugs/*.tar.zst | sort -u)" "600 0" "slugs"
for env in production staging; do
    expect_eq "$(stat -c '%a %u %g' "$ROOT/apps/hello-node/$env")" "750 0 ${UID_OF[$env]}" "$env files"
    expect_eq "$(stat -c '%a %u %g' "$ROOT"/logs/hello-node."$env".* | sort -u)" "750 0 ${UID_OF[$env]}" "$env logs"
done
[ ! -e "$ROOT/apps/hello-node/production/app/releases/v0/app/widemesh.yaml" ] || fail "the manifest is in the release"

# A new release keeps the environment's uid.
echo "# change" >> app.py && commit_all "change"
"$WM" deploy -e production >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "second deploy"; }
out=$(probe production)
expect_contains "$out" "uid=ok ${UID_OF[production]}" "uid stable across deploys"
expect_probe_ok "$out" "production after a redeploy"
echo "ok"
