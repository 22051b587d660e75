# Sourced by bench/run after tests/testbed/lib.sh: timing, CPU accounting, the bench app and
# its baselines. Results go to the associative arrays MED (median wall ms), CPU_C (control-side
# CPU ms per run) and CPU_H (CPU ms per run of the average host involved).
SSHO=(-i "$TB/id_ed25519" -o UserKnownHostsFile="$TB/known_hosts" -o StrictHostKeyChecking=yes
      -o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=5 -o LogLevel=ERROR)
CG=/sys/fs/cgroup/cpuacct/wm-bench

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'; }

# --- CPU time: one cpuacct cgroup per host (everything in its namespaces) and one for the
# control side (the measured command and what it starts) ---
cg_setup() { # N hosts
  local i pid
  cg_remove
  mkdir -p "$CG/control"
  for i in $(seq 1 "$1"); do
    mkdir -p "$CG/$(hname "$i")"
    for pid in $(ip netns pids "$(hname "$i")"); do
      echo "$pid" > "$CG/$(hname "$i")/cgroup.procs" 2>/dev/null || true
    done
  done
}
cg_remove() {
  local d
  [ -d "$CG" ] || return 0
  for d in "$CG"/*/; do
    [ -d "$d" ] || continue
    while read -r pid; do echo "$pid" > /sys/fs/cgroup/cpuacct/cgroup.procs 2>/dev/null || true; done < "$d/cgroup.procs"
    rmdir "$d" 2>/dev/null || true
  done
  rmdir "$CG" 2>/dev/null || true
}
cpu_ns() { # cgroup names...: their summed CPU time in ns
  local t=0 g
  for g in "$@"; do t=$((t + $(cat "$CG/$g/cpuacct.usage"))); done
  echo "$t"
}
host_groups() { local i; for i in "$@"; do hname "$i"; done; }

# measure NAME HOST... -- COMMAND...: RUNS runs of COMMAND (in the control cgroup); the median
# wall time and the CPU per run of the control side and of the average host among HOST...
measure() {
  local name=$1 hosts=() t0 c0 h0 walls=()
  shift
  while [ "$1" != "--" ]; do hosts+=("$1"); shift; done
  shift
  local groups; groups=$(host_groups "${hosts[@]}")
  c0=$(cpu_ns control); h0=$(cpu_ns $groups)
  for _ in $(seq 1 "$RUNS"); do
    t0=$(now_ms)
    ( echo "$BASHPID" > "$CG/control/cgroup.procs"; "$@" ) > /dev/null 2> "$WORK/err" ||
      { cat "$WORK/err" >&2; fail "$name: $*"; }
    walls+=($(( $(now_ms) - t0 )))
  done
  MED[$name]=$(printf '%s\n' "${walls[@]}" | median)
  CPU_C[$name]=$(( ($(cpu_ns control) - c0) / 1000000 / RUNS ))
  CPU_H[$name]=$(( ($(cpu_ns $groups) - h0) / 1000000 / RUNS / ${#hosts[@]} ))
  echo "bench: $name ${MED[$name]} ms (runs: ${walls[*]})" >&2
}

# micro NAME COMMAND...: a local command, timed by hyperfine (median of 30 runs, ms)
micro() {
  local name=$1; shift
  hyperfine -N --warmup 3 --runs 30 --export-json "$WORK/$name.json" -- "$(printf '%q ' "$@")" > /dev/null 2>&1 ||
    fail "$name: $*"
  MED[$name]=$(jq -r '.results[0].median * 1000 | . * 100 | round / 100' "$WORK/$name.json")
  CPU_C[$name]=$(jq -r '(.results[0].user + .results[0].system) * 1000 | . * 100 | round / 100' "$WORK/$name.json")
  CPU_H[$name]=-
  echo "bench: $name ${MED[$name]} ms" >&2
}

parallel_ssh() { # one round of `ssh host true` to every host given, in parallel
  local pids=() i
  for i in "$@"; do ssh "${SSHO[@]}" "root@$(addr "$i")" true & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i"; done
}

# --- the bench app: the node example on racks r1 (host 1), r3, r5, r10 and r50 (hosts 1..N) ---
rack_yaml() { # name hosts...
  local name=$1 i
  shift
  echo "  $name:"
  echo "    alias_domain: wm.test"
  echo "    servers:"
  for i in "$@"; do printf '      - address: %s\n        key: %s\n' "$(addr "$i")" "$TB/id_ed25519"; done
}
bench_app() { # N hosts up
  local n=$1 racks="" envs=""
  mkdir -p "$ST"
  cp "$TB/known_hosts" "$ST/known_hosts"
  cp -r "$WM_SOURCE_DIR/examples/node" "$WORK/app"
  cd "$WORK/app"
  for spec in "one 1" "three 3" "five 5" "ten 10" "fifty 50"; do
    set -- $spec
    [ "$2" -le "$n" ] || continue
    racks+=$(rack_yaml "r$2" $(seq 1 "$2"))$'\n'
    envs+="  $1:"$'\n'"    racks: [r$2]"$'\n'
  done
  cat > widemesh.yaml <<YAML
app: bench
racks:
$racks
environments:
$envs
stacks:
  app:
    services:
      web:
        command: node server.js
        instances: 1
        health:
          path: /health
YAML
  git init -q . && commit_all "initial"
  echo "bench: bootstrapping $n hosts" >&2
  wm rack bootstrap "r$( [ "$n" -ge 50 ] && echo 50 || { [ "$n" -ge 10 ] && echo 10 || echo 3; } )" \
    > /dev/null 2> "$WORK/err" || { cat "$WORK/err" >&2; fail "bootstrap"; }
}
commit_all() { git add -A && git -c user.email=b@example.test -c user.name=Bench commit -qm "$1"; }

NEXT=0
new_commit() { # a one-line change, built before the timed deploy (a prebuilt slug)
  NEXT=$((NEXT + 1))
  sed -i "s/hello from node[^\\\\\"]*/hello from node $NEXT/" server.js
  commit_all "change $NEXT"
  wm build > /dev/null 2> "$WORK/err" || { cat "$WORK/err" >&2; fail "build"; }
}

# deploy_figure NAME ENV HOST...: RUNS deploys of a new prebuilt commit; MED[NAME] until wm
# returns, MED[NAME.serving] until the last server reported serving it (from --json events)
deploy_figure() {
  local name=$1 env=$2 t0 c0 h0 walls=() serving=() groups
  shift 2
  groups=$(host_groups "$@")
  new_commit
  wm deploy -e "$env" > /dev/null 2> "$WORK/err" || { cat "$WORK/err" >&2; fail "$name: first deploy"; }
  c0=$(cpu_ns control); h0=$(cpu_ns $groups)
  for _ in $(seq 1 "$RUNS"); do
    new_commit
    t0=$(now_ms)
    ( echo "$BASHPID" > "$CG/control/cgroup.procs"; wm deploy --json -e "$env" ) > "$WORK/events" 2> "$WORK/err" ||
      { cat "$WORK/err" >&2; fail "$name: deploy"; }
    walls+=($(( $(now_ms) - t0 )))
    serving+=($(jq -r 'select(.event == "progress" and .message == "serving the new release") | .elapsed_ms' \
      "$WORK/events" | sort -n | tail -n 1))
  done
  MED[$name]=$(printf '%s\n' "${walls[@]}" | median)
  MED[$name.serving]=$(printf '%s\n' "${serving[@]}" | median)
  CPU_C[$name]=$(( ($(cpu_ns control) - c0) / 1000000 / RUNS ))
  CPU_H[$name]=$(( ($(cpu_ns $groups) - h0) / 1000000 / RUNS / $# ))
  echo "bench: $name serving ${MED[$name.serving]} ms, returned ${MED[$name]} ms (runs: ${walls[*]})" >&2
}

# --- Ansible: the same change without a health gate, restarting in place (with downtime) ---
ANS=$WORK/ansible
ANSIBLE_V=0
ansible_setup() { # hosts...
  local i slug
  command -v ansible-playbook > /dev/null ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ansible-core > /dev/null
  mkdir -p "$ANS/home" "$ANS/app"
  slug=$(ls -t "$ST"/slugs/*.tar.zst | head -n 1)
  tar --zstd -xf "$slug" -C "$ANS/app"
  tar -czf "$ANS/app.tar.gz" -C "$ANS/app" .
  { echo "[bench]"; for i in "$@"; do echo "$(hname "$i") ansible_host=$(addr "$i")"; done
    echo "[bench:vars]"
    echo "ansible_user=root"
    echo "ansible_ssh_private_key_file=$TB/id_ed25519"
    echo "ansible_ssh_common_args=-o UserKnownHostsFile=$TB/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes"
    echo "ansible_python_interpreter=/usr/bin/python3"; } > "$ANS/inventory.ini"
  printf '[defaults]\ninventory = %s\nhome = %s\nlocal_tmp = %s/tmp\nforks = 50\n' \
    "$ANS/inventory.ini" "$ANS/home" "$ANS/home" > "$ANS/ansible.cfg"
  cat > "$ANS/play.yml" <<YAML
- hosts: bench
  gather_facts: false
  tasks:
    - copy: {src: "$ANS/app.tar.gz", dest: "/srv/ans/app-{{ v }}.tar.gz"}
    - file: {path: "/srv/ans/releases/{{ v }}", state: directory}
    - unarchive: {src: "/srv/ans/app-{{ v }}.tar.gz", dest: "/srv/ans/releases/{{ v }}", remote_src: true}
    - file: {src: "/srv/ans/releases/{{ v }}", dest: /srv/ans/current, state: link}
    - command: sv restart /srv/ans/service/app
    - wait_for: {host: 127.0.0.1, port: 18080, timeout: 30}
YAML
  for i in "$@"; do # python3 for ansible, and a runsvdir of its own for the app (port 18080)
    tb ssh "$i" 'command -v python3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 >/dev/null
      mkdir -p /srv/ans/service/app
      printf "#!/bin/sh\nexec 2>&1\ncd /srv/ans/current && exec env PORT=18080 node server.js\n" > /srv/ans/service/app/run
      chmod +x /srv/ans/service/app/run
      setsid runsvdir /srv/ans/service </dev/null >/dev/null 2>&1 &' > /dev/null
  done
  ansible_deploy || fail "ansible: first run"
}
ansible_deploy() { # one playbook run from cold connections (no lingering ControlPersist)
  ANSIBLE_V=$((ANSIBLE_V + 1))
  rm -rf "$ANS/cp"
  ANSIBLE_CONFIG=$ANS/ansible.cfg ANSIBLE_SSH_CONTROL_PATH_DIR=$ANS/cp \
    ansible-playbook "$ANS/play.yml" -e "v=$(date +%s%N)" > "$ANS/last.log" 2>&1 ||
    { cat "$ANS/last.log" >&2; return 1; }
}

# --- the table ---
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "-") printf "%.2f", a / b; else print "-" }'; }
verdict() { awk -v x="$1" -v op="$2" -v y="$3" 'BEGIN { if (x == "-") print "-";
  else if ((op == "<=" && x + 0 <= y + 0) || (op == ">=" && x + 0 >= y + 0) || (op == "<" && x + 0 < y + 0)) print "yes"; else print "**no**" }'; }
cpu() { echo "${CPU_C[$1]:--} / ${CPU_H[$1]:--}"; }
row() { printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$@"; }

print_table() {
  local s1=${MED[new1.serving]:--} r1=${MED[new1]:--}
  echo
  echo "wm $("$WM" --version | head -n 1); $(date -u +%FT%TZ); $(nproc) cores; runs: $RUNS (medians)"
  echo
  row "figure" "wm (ms)" "baseline (ms)" "ratio" "target" "met" "CPU ms/run: control / per host"
  row "---" "---:" "---:" "---:" "---" "---" "---:"
  row "one parallel ssh round: 1 / 3 / ${#TEN[@]} hosts" "-" "${MED[ssh1]} / ${MED[ssh3]} / ${MED[ssh10]}" "-" "(baseline)" "-" "$(cpu ssh10)"
  row "new commit, 1 host, prebuilt slug: serving / returned" "$s1 / $r1" "-" "-" "serving ≤ 1500" "$(verdict "$s1" "<=" 1500)" "$(cpu new1)"
  row "new commit, ${#TEN[@]} hosts vs 1 host (returned)" "${MED[new10.serving]} / ${MED[new10]}" "$r1" \
    "$(ratio "${MED[new10]}" "$r1")" "≤ 1.5×" "$(verdict "$(ratio "${MED[new10]}" "$r1")" "<=" 1.5)" "$(cpu new10)"
  if [ -n "${MED[new50]:-}" ]; then
    row "new commit, 50 hosts vs ${#TEN[@]} (returned)" "${MED[new50.serving]} / ${MED[new50]}" "${MED[new10]}" \
      "$(ratio "${MED[new50]}" "${MED[new10]}")" "≤ 2×" "$(verdict "$(ratio "${MED[new50]}" "${MED[new10]}")" "<=" 2)" "$(cpu new50)"
  else
    row "new commit, 50 hosts" "not run" "-" "-" "≤ 2× 10 hosts" "-" "(--fifty)"
  fi
  if [ -n "${MED[ansible5]:-}" ]; then
    row "same change, 5 hosts: Ansible ÷ wm (returned)" "${MED[new5.serving]} / ${MED[new5]}" "${MED[ansible5]}" \
      "$(ratio "${MED[ansible5]}" "${MED[new5]}")" "≥ 5×" "$(verdict "$(ratio "${MED[ansible5]}" "${MED[new5]}")" ">=" 5)" \
      "$(cpu new5); Ansible $(cpu ansible5)"
  fi
  row "identical redeploy, 3 hosts vs ssh round" "${MED[redeploy3]}" "${MED[ssh3]}" \
    "$(ratio "${MED[redeploy3]}" "${MED[ssh3]}")" "≤ 1.5×" "$(verdict "$(ratio "${MED[redeploy3]}" "${MED[ssh3]}")" "<=" 1.5)" "$(cpu redeploy3)"
  row "wm ps, ${#TEN[@]} hosts vs ssh round" "${MED[ps10]}" "${MED[ssh10]}" \
    "$(ratio "${MED[ps10]}" "${MED[ssh10]}")" "≤ 1.5×" "$(verdict "$(ratio "${MED[ps10]}" "${MED[ssh10]}")" "<=" 1.5)" "$(cpu ps10)"
  row "wm --version" "${MED[version]}" "-" "-" "< 10" "$(verdict "${MED[version]}" "<" 10)" "$(cpu version)"
  row "wm validate (example manifest)" "${MED[validate]}" "-" "-" "< 30" "$(verdict "${MED[validate]}" "<" 30)" "$(cpu validate)"
}
