#!/bin/bash
# A probe app deployed to two environments (production, staging) on two fresh-root test hosts:
# from inside each instance every escape is tried and refused (GET /probe, one line per check),
# each environment runs as its own uid and in its own network namespace, stable across deploys,
# and its files at rest on the servers are root's and its tenant's only.
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
build: local
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

# Network: each environment has a namespace of its own; from inside production's instance the
# other environment (same and other server), the server's sshd (its address and the link's
# gateway) and the proxy's port are refused, while a connect out of the server (the testbed
# bridge's apt proxy) works. From outside, the instance port is unreachable; the proxy answers.
connect() { curl -fsS -m 20 -H "Host: probe-$2.wm.test" "http://$(addr "$1")/connect/$3"; }
upstream() { # host env -> "address:port" of its web instance, from the proxy's routes
  tb ssh "$1" "cat /var/lib/widemesh/proxy/routes/probe.$2.json" |
    python3 -c 'import json, sys; u = json.load(sys.stdin)["services"]["app.web"]; print("%s:%d" % (u["host"], u["ports"][0]))'
}
expect_refused() { # host env target what
  local out
  out=$(connect "$1" "$2" "$3") || fail "connect probe on $(hname "$1")"
  expect_contains "$out" "refused" "$4 ($3) from $2 on $(hname "$1")"
}
a1=$(addr "${H[0]}")
staging1=$(upstream "${H[0]}" staging)
staging2=$(upstream "${H[1]}" staging)
prod1=$(upstream "${H[0]}" production)
case "$prod1" in 10.25[01].*) ;; *) fail "production's upstream $prod1 is not in its namespace's range" ;; esac
[ "${prod1%:*}" != "${staging1%:*}" ] || fail "production and staging share address ${prod1%:*}"
gateway="${prod1%:*}"; gateway="${gateway%.*}.$(( ${gateway##*.} - 1 ))"
expect_refused "${H[0]}" production "$staging1" "other environment, same server"
expect_refused "${H[0]}" production "$(addr "${H[1]}"):${staging2##*:}" "other environment, other server"
expect_refused "${H[0]}" production "$a1:22" "the server's sshd"
expect_refused "${H[0]}" production "$gateway:22" "the server's sshd on the link"
expect_refused "${H[0]}" production "$a1:80" "the proxy's port"
expect_refused "${H[0]}" staging "$prod1" "production from staging"
out=$(connect "${H[0]}" production "${a1%.*}.1:3142") || fail "connect probe"
expect_eq "$out" "open" "outbound connect to the testbed bridge from production"
expect_refused "${H[1]}" staging "$a1:${prod1##*:}" "production's port on the other server"
if curl -sS -m 5 -o /dev/null "http://$a1:${prod1##*:}/" 2>/dev/null; then
  fail "the instance port ${prod1##*:} answers from outside the server"
fi
# Even a neighbour routing the namespace's address through the server is not let in.
reached=$(tb ssh "${H[1]}" "ip route add ${prod1%:*}/32 via $a1 && {
  curl -s -m 5 -o /dev/null -w '%{http_code}' http://$prod1/; ip route del ${prod1%:*}/32; }" || true)
expect_eq "$reached" "000" "the instance address $prod1 routed through $(hname "${H[0]}") from $(hname "${H[1]}")"
tb ssh "${H[0]}" 'ip netns list' | grep -q '^wm-' || fail "no wm- namespace on $(hname "${H[0]}")"
ip netns list | grep -q '^wm-' && fail "a wm- namespace leaked onto the control machine"

# A new release of production keeps its uid (recorded on the server), and the probe stays green.
echo "# change" >> app.py && commit_all "change"
wm deploy -e production >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "second deploy"; }
out=$(probe "${H[0]}" production)
expect_contains "$out" "uid=ok ${UID_OF[${H[0]}.production]}" "uid stable across deploys"
expect_contains "$out" "seccomp=ok 2" "seccomp after redeploy"
expect_eq "$(upstream "${H[0]}" production | cut -d: -f1)" "${prod1%:*}" "namespace address stable across deploys"
out=$(connect "${H[0]}" production "$staging1") || fail "connect probe after redeploy"
expect_contains "$out" "refused" "other environment after redeploy"
echo ok
