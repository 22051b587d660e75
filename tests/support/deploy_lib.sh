# Shared by tests/cli/deploy_*.sh and tests/ssh/deploy_*.sh (sourced, not run).
# Needs: WM (the binary), WM_SOURCE_DIR (the repository).

. "$WM_SOURCE_DIR/tests/support/testlib.sh"

# A temp dir with an example app committed in a fresh git repo at $WORK/app and a state dir
# $WORK/state; everything (local rack daemons included) goes away on exit.
setup_app() {  # example-name
    WORK=$(mktemp -d /tmp/wm-deploy-test.XXXXXX)
    export WM_HOME="$WORK/state" HOME="$WORK/home"
    mkdir -p "$HOME" "$WM_HOME"
    cp -r "$WM_SOURCE_DIR/examples/$1" "$WORK/app"
    cd "$WORK/app"
    git init -q . && git add -A && commit_all "initial"
    trap cleanup EXIT
}

commit_all() { git add -A && git -c user.email=t@example.test -c user.name=Tester commit -qm "$1"; }

cleanup() {
    cd /
    # Stops the local rack's supervisor, proxy and instances (orphaned ones included).
    if [ -d "$WM_HOME/local/service" ]; then
        "$WM" rack stop local >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK" 2>/dev/null || true
}

# A local-rack port unlikely to collide with parallel tests.
free_port() {
    local p
    for p in $(seq $((7500 + RANDOM % 2000)) 9600); do
        if ! ss -Hltn "sport = :$p" | grep -q .; then echo "$p"; return; fi
    done
}

# Writes widemesh.yaml for the local rack on port $1; more YAML (stacks: ...) from stdin if any.
local_manifest() {
    printf 'app: hello-node\nracks:\n  local:\n    provider: local\n    http_port: %s\n' "$1" > widemesh.yaml
    if [ ! -t 0 ]; then cat >> widemesh.yaml; fi
}

# A manifest whose web never passes its health check (it never listens on $PORT), so a deploy
# holds the lease while it waits up to $2 seconds (interrupt and lease tests).
never_healthy_manifest() { # port timeout
    local_manifest "$1" <<YAML
stacks:
  app:
    services:
      web:
        command: sleep 3600
        health:
          timeout: $2
YAML
}
