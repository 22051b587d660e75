#!/bin/bash
# A probe app deployed to two environments (production, staging) on two fresh-root test hosts:
# from inside each instance every escape is tried and refused (GET /probe, one line per check),
# each environment runs as its own uid, stable across deploys, and its files at rest on the
# servers are root's and its tenant's only.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/../support/probe.sh"
commit_all() { git add -A && git -c user.email=t@example.test -c user.name=Tester commit -qm "$1"; }
H=(1 2) # hosts of deploy_failures (bootstrapped already in a full run): 4-6 stay fresh for deploy_three_hosts
servers=""
for i in "${H[@]}"; do
  tb ssh "$i" 'p=$(cat /var/lib/widemesh/runsvdir.pid 2>/dev/null) && kill -HUP "$p" && sleep 1; true' >/dev/null
  reset_host "$i"
  servers+="      - address: $(addr "$i")
        key: $TB/id_ed25519
"
done
mkdir -p "$ST" "$WORK/app"
cp "$TB/known_hosts" "$ST/known_hosts"
cp "$WM_SOURCE_DIR"/tests/ssh/probe/* "$WORK/app/"
cd "$WORK/app"
cat > widemesh.yaml <<YAML
app: probe
racks:
  duo:
    alias_domain: wm.test
    servers:
$servers
environments:
  production:
    racks: [duo]
    config:
      PROBE_SECRET: production-secret
      PROBE_OTHER: staging
  staging:
    racks: [duo]
    config:
      PROBE_SECRET: staging-secret
      PROBE_OTHER: production
stacks:
  app:
    services:
      web:
        command: /usr/bin/python3 app.py
        instances: 1
        health:
          path: /health
YAML
git init -q . && commit_all "probe"
wm rack bootstrap duo >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "bootstrap"; }
for env in production staging; do
  wm deploy -e "$env" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy $env"; }
done

probe() { curl -fsS -m 10 -H "Host: probe-$2.wm.test" "http://$(addr "$1")/probe"; }
declare -A UID_OF
for i in "${H[@]}"; do
  for env in production staging; do
    out=$(probe "$i" "$env") || fail "probe $env on $(hname "$i")"
    expect_probe_ok "$out" "$env on $(hname "$i")"
    expect_contains "$out" "own_config=ok $env-secret" "$env reads its own config"
    expect_contains "$out" "passwd=ok wm-probe-$env" "$env's passwd names its user"
    UID_OF[$i.$env]=$(sed -n 's/^uid=ok //p' <<<"$out")
  done
  [ "${UID_OF[$i.production]}" != "${UID_OF[$i.staging]}" ] || fail "production and staging share uid ${UID_OF[$i.production]}"
  [ "${UID_OF[$i.production]}" -ge 70000 ] || fail "tenant uid ${UID_OF[$i.production]} outside the range"

  # Files at rest: slugs root's alone; each environment root:<its gid> 0750; logs likewise.
  modes=$(tb ssh "$i" 'cd /var/lib/widemesh && stat -c "%a %u" slugs slugs/*.tar.zst | sort -u;
    for e in production staging; do stat -c "$e %a %u %g" apps/probe/$e; done;
    stat -c "log %a %u %g" logs/probe.production.* | sort -u')
  expect_contains "$modes" "700 0" "slugs dir root-only on $(hname "$i")"
  expect_contains "$modes" "600 0" "slugs root-only on $(hname "$i")"
  expect_contains "$modes" "production 750 0 ${UID_OF[$i.production]}" "production files on $(hname "$i")"
  expect_contains "$modes" "staging 750 0 ${UID_OF[$i.staging]}" "staging files on $(hname "$i")"
  expect_contains "$modes" "log 750 0 ${UID_OF[$i.production]}" "production logs on $(hname "$i")"
  # The app processes on the server run as the tenant uids, never root.
  uids=$(tb ssh "$i" 'ps -o uid= -C python3 | sort -u | tr -d " " | tr "\n" " "')
  expect_eq "$uids" "$(printf '%s\n' "${UID_OF[$i.production]}" "${UID_OF[$i.staging]}" | sort | tr '\n' ' ')" "app uids on $(hname "$i")"
done

# A new release of production keeps its uid (recorded on the server), and the probe stays green.
echo "# change" >> app.py && commit_all "change"
wm deploy -e production >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "second deploy"; }
out=$(probe "${H[0]}" production)
expect_contains "$out" "uid=ok ${UID_OF[${H[0]}.production]}" "uid stable across deploys"
expect_contains "$out" "seccomp=ok 2" "seccomp after redeploy"
echo ok
