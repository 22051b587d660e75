#!/bin/bash
# Faults delivered at each step of a deploy on 3 test hosts, when the deploy's --json events
# show that step: SIGTERM and SIGINT, sshd killed on one server, a cut link during the health
# wait, and a singleton worker across a deploy. After each: the exit code and the printed
# outcome, the lease free, the newest record matching what every proxy serves, no instance left
# that no record owns after the next command, and the next deploy succeeds.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(1 2 3)
RELEASE="sleep 1; echo migrated" setup_rack "${H[@]}"
SERVERS=$(sed -n '/^    servers:/,/^environments:/p' widemesh.yaml | sed '1d;$d')
APP=hello-node.production.app

N=0
bump() { # a new commit whose web answers "hello N"
  N=$((N + 1))
  sed -i "s/res.end(\"hello[^\\\\]*/res.end(\"hello $N/" server.js
  commit_all "v$N"
}
latest() { wm deployments list --json | jq -c 'max_by(.version)'; }

# The deploy that every case starts from: v(PREV) serves "hello N" everywhere.
good_deploy() { # what
  bump
  local t0=$(date +%s)
  wm deploy >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "deploy after $1"; }
  for i in "${H[@]}"; do expect_eq "$(alias_get "$i" /)" "hello $N" "$1: the next deploy serves on $(hname "$i")"; done
  PREV=$(latest | jq -r .version)
  PREV_BODY="hello $N"
  echo "$(date +%T) deploy after $1 took $(($(date +%s) - t0)) s" >&2
}

# fault_at PATTERN ACTION...: deploys a new commit with --json and runs ACTION (the deploy's
# pid in $DEPLOY) once an event line matches PATTERN; sets RC and SECONDS_AFTER (fault to exit).
fault_at() {
  local pattern=$1
  shift
  bump
  : >"$WORK/events"
  "$WM" --state-dir "$ST" deploy --json >"$WORK/events" 2>"$WORK/err" &
  DEPLOY=$!
  local seen=0
  for _ in $(seq 1200); do
    if grep -q -- "$pattern" "$WORK/events"; then seen=1; break; fi
    kill -0 "$DEPLOY" 2>/dev/null || break
    sleep 0.05
  done
  [ "$seen" = 1 ] || { cat "$WORK/events" "$WORK/err"; fail "no event matched $pattern"; }
  local t0=$(date +%s)
  "$@"
  RC=0
  wait "$DEPLOY" || RC=$?
  SECONDS_AFTER=$(($(date +%s) - t0))
  sed 's/^/    stderr: /' "$WORK/err" >&2
}

new_on() { # record index: "yes" when the record is this case's and says host I switched to it
  if [ "$(jq -r .version <<<"$1")" != "$PREV" ] &&
    [ "$(jq -r --arg s "$(addr "$2")" '.servers[$s] // "none"' <<<"$1")" = ok ]; then echo yes; else echo no; fi
}

# The newest record matches every proxy: "ok" serves the new commit, anything else the old.
records_match_proxies() { # what
  local rec body want i
  rec=$(latest)
  for i in "${H[@]}"; do
    body=$(alias_get "$i" / || echo "no answer")
    if [ "$(new_on "$rec" "$i")" = yes ]; then
      want="hello $N"
    else
      want=$PREV_BODY
    fi
    expect_eq "$body" "$want" "$1: $(hname "$i") serves what v$(jq -r .version <<<"$rec") ($(jq -r .status <<<"$rec")) says"
  done
}

# After the next command: every instance on a host belongs to the version its proxy serves.
no_leftovers() { # what
  local rec i want have
  rec=$(latest)
  for i in "${H[@]}"; do
    want=$PREV
    [ "$(new_on "$rec" "$i")" = yes ] && want=$(jq -r .version <<<"$rec")
    have=$(tb ssh "$i" "ls /var/lib/widemesh/service" | sed -n "s/^$APP\.web\.v\([0-9]*\)\..*/\1/p" | sort -u | tr '\n' ' ')
    expect_eq "$have" "$want " "$1: runit services on $(hname "$i") (versions of web)"
  done
}

lease_free() { # what
  local out
  out=$(wm lock status)
  expect_eq "$(grep -c '(free)' <<<"$out")" 3 "$1: lease free on every server ($out)"
}

settled() { # what: the assertions every case ends with
  lease_free "$1"
  records_match_proxies "$1"
  wm ps >/dev/null 2>&1 || true # the next command
  no_leftovers "$1"
  good_deploy "$1"
}

good_deploy "first deploy"
# From here a failed assertion is counted and the cases go on (each case starts from a good
# deploy), so one run shows the outcome of every case; the test fails at the end.
FAILED=0
fail() { echo "FAIL: $*" >&2; FAILED=$((FAILED + 1)); }
eval "hard_$(declare -f expect_eq)"
eval "hard_$(declare -f expect_contains)"
expect_eq() { (hard_expect_eq "$@") || FAILED=$((FAILED + 1)); }
expect_contains() { (hard_expect_contains "$@") || FAILED=$((FAILED + 1)); }

# WM_FAULTS_ONLY="signals sshd singleton cut" (any of them) runs only those parts; all by default.
want() { case " ${WM_FAULTS_ONLY:-signals sshd singleton cut} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# 1. SIGTERM and SIGINT at each step of the deploy.
declare -A AT=(
  [upload]='"message":"Uploading stack'
  [release]='"message":"Running the release command'
  [start]='"message":"Starting the new release'
  [health]='"event":"timing".*"step":"start"'
  [switch]='"event":"timing".*"step":"health"'
  [stop]='"event":"timing".*"step":"switch"'
)
signal_deploy() { kill "-$1" "$DEPLOY"; }
# While the deploy waits for health: `wm deployments show vN` shows it running, with the
# server's events of that version so far; then the signal.
show_then_signal() { # signal
  local v out
  v=$(grep -o '"Uploading stack app as v[0-9]*' "$WORK/events" | grep -o '[0-9]*$' | head -1 || echo "?")
  out=$(wm deployments show "v$v" 2>&1) || true
  expect_contains "$out" "deployment v$v of production app: running" "deployments show of a running deploy"
  expect_contains "$out" "deploy v$v: started web v$v.1" "deployments show: the events so far"
  signal_deploy "$1"
}
STEPS=(upload release start health switch stop)
# A deploy takes ~30 s on the test hosts: by default SIGINT and the sshd kill are delivered at a
# few steps only (SIGTERM at all); WM_FAULTS_ALL=1 delivers each fault at every step.
if [ "${WM_FAULTS_ALL:-0}" = 1 ]; then
  INT_STEPS=("${STEPS[@]}") SSHD_STEPS=("${STEPS[@]}")
else
  INT_STEPS=(release switch) SSHD_STEPS=(upload health switch)
fi
for sig in TERM INT; do
  want signals || break
  want_rc=$([ $sig = TERM ] && echo 143 || echo 130)
  steps=("${STEPS[@]}")
  [ $sig = INT ] && steps=("${INT_STEPS[@]}")
  for step in "${steps[@]}"; do
    what="SIG$sig at $step"
    action=signal_deploy
    [ "$sig $step" = "TERM health" ] && action=show_then_signal
    fault_at "${AT[$step]}" "$action" "$sig"
    status=$(latest | jq -r .status)
    echo "$(date +%T) case $what: exit $RC, record v$(latest | jq -r .version) $status" >&2
    if [ "$status" = succeeded ]; then # the signal came after the last step that it stops
      expect_contains "0 $want_rc" "$RC" "$what: exit code"
    else
      expect_eq "$RC" "$want_rc" "$what: exit code"
      expect_contains "$(cat "$WORK/err")" "interrupted" "$what: says it was interrupted"
    fi
    settled "$what"
  done
done

# 2. sshd killed on one server (every sshd process of host 2; its init restarts sshd).
kill_sshd() { # index
  local p
  for p in $(ip netns pids "$(hname "$1")"); do
    [ "$(cat /proc/"$p"/comm 2>/dev/null)" = sshd ] && kill -9 "$p" 2>/dev/null || true
  done
}
for step in "${SSHD_STEPS[@]}"; do
  want sshd || break
  what="sshd killed on $(hname 2) at $step"
  fault_at "${AT[$step]}" kill_sshd 2
  echo "$(date +%T) case $what: exit $RC, record v$(latest | jq -r .version) $(latest | jq -r .status)" >&2
  if [ "$RC" != 0 ]; then
    expect_eq "$RC" 1 "$what: exit code"
    expect_contains "$(cat "$WORK/err")" "server $(addr 2): step" "$what: names the server"
    expect_contains "$(cat "$WORK/err")" "unreachable: connection lost" "$what: says unreachable"
  fi
  settled "$what"
done

# 3. A singleton worker across a deploy: never two running at once on the three hosts.
if want singleton; then
write_manifest "$SERVERS" "echo migrated" && cat >>widemesh.yaml <<YAML
      worker:
        command: node -e "setInterval(() => {}, 1000)"
        singleton: true
        health:
          uptime: 2
YAML
commit_all "singleton"
good_deploy "adding a singleton"
running_singletons() { # how many singleton instances runit runs on the hosts now
  local i n=0
  for i in "${H[@]}"; do
    n=$((n + $(cat "$TB/$(hname "$i")"/upper/var/lib/widemesh/service/$APP.worker.v*/supervise/stat 2>/dev/null | grep -c '^run' || true)))
  done
  echo "$n"
}
bump
wm deploy >/dev/null 2>"$WORK/err" &
DEPLOY=$!
MAX=0 SAMPLES=0
while kill -0 "$DEPLOY" 2>/dev/null; do
  n=$(running_singletons)
  SAMPLES=$((SAMPLES + 1))
  [ "$n" -gt "$MAX" ] && MAX=$n
  sleep 0.05
done
wait "$DEPLOY" || { cat "$WORK/err"; fail "deploy with a singleton"; }
echo "case singleton: at most $MAX running in $SAMPLES samples" >&2
PREV=$(latest | jq -r .version) PREV_BODY="hello $N"
expect_eq "$MAX" 1 "singleton: at most one running during the deploy"
expect_eq "$(running_singletons)" 1 "singleton: one running after the deploy"
fi
# 4. A cut link during the health wait: reported unreachable (not "not healthy"), bounded.
if want cut; then
veth=v$(hname 2)
fault_at "${AT[health]}" ip link set "$veth" down
ip link set "$veth" up
for _ in $(seq 60); do tb ssh 2 true >/dev/null 2>&1 && break; sleep 0.5; done
echo "case cut link: exit $RC after $SECONDS_AFTER s" >&2
cat "$WORK/err" >&2
expect_eq "$RC" 1 "cut link: exit code"
expect_contains "$(cat "$WORK/err")" "server $(addr 2): step " "cut link: names the server and step"
expect_contains "$(cat "$WORK/err")" "unreachable: connection lost" "cut link: says unreachable"
expect_not_contains() { case "$1" in *"$2"*) fail "$3: has '$2' in: $1" ;; esac; }
expect_not_contains "$(cat "$WORK/err")" "not healthy" "cut link: not a health failure"
# Bounded by the SSH keepalive (5 s) plus the 10 s a sent packet may stay unacknowledged: the
# time is printed above, not asserted (tests never assert timings).
settled "cut link"
fi

[ "$FAILED" = 0 ] || { echo "$FAILED failed assertion(s)" >&2; exit 1; }
echo ok
