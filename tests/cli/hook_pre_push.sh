#!/bin/bash
# wm hook install: a push to the branch deploys exactly the pushed commit (not HEAD); a failing
# deploy refuses the push; a foreign hook is never overwritten silently; uninstall restores it.
set -euo pipefail
. "$WM_SOURCE_DIR/tests/support/deploy_lib.sh"
setup_app node
PORT=$(free_port)
manifest() { # release-command
    local_manifest "$PORT" <<YAML
stacks:
  app:
    release: "$1"
    services:
      web:
        command: node server.js
        health: {path: /health, timeout: 15}
YAML
}
manifest "echo migrating"
commit_all "manifest"
git branch -M main
git init -q --bare "$WORK/remote.git"
git remote add origin "$WORK/remote.git"
URL="http://hello-node-production.localhost:$PORT"
HOOK="$WORK/app/.git/hooks/pre-push"

# A hook wm did not write is kept.
printf '#!/bin/sh\nexit 0\n' > "$HOOK" && chmod +x "$HOOK"
err=$("$WM" hook install 2>&1) && fail "foreign hook overwritten"
expect_eq "$err" "wm: error: $HOOK exists and was not written by wm; not overwriting it
hint: wm hook install --force moves it to pre-push.before-wm" "foreign hook refused"
out=$("$WM" hook install --force -e production)
expect_eq "$out" "installed $HOOK: a push to main deploys the pushed commit to production
moved the previous hook to $WORK/app/.git/hooks/pre-push.before-wm" "install output"

# Push an older commit than HEAD: the pushed one is deployed.
sed -i 's/hello from node/hello pushed/' server.js && commit_all "pushed"
pushed=$(git rev-parse HEAD)
sed -i 's/hello pushed/hello not pushed/' server.js && commit_all "local only"
git push -q origin "$pushed:refs/heads/main" 2>"$WORK/push.err" || { cat "$WORK/push.err"; fail "push"; }
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello pushed" "the pushed commit serves"
expect_contains "$(cat "$WORK/push.err")" "wm: deploying $pushed (" "hook says what it deploys"
expect_eq "$(git --git-dir="$WORK/remote.git" rev-parse main)" "$pushed" "push landed"

# A push to another branch deploys nothing.
git push -q origin HEAD:refs/heads/feature 2>/dev/null
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello pushed" "other branch not deployed"

# A failing deploy refuses the push; the old release keeps serving.
manifest "exit 3" && commit_all "broken release"
git push -q origin HEAD:refs/heads/main 2>"$WORK/push.err" && fail "push of a failing deploy landed"
expect_contains "$(cat "$WORK/push.err")" "wm: the deploy failed, so the push was refused" "refusal"
expect_contains "$(cat "$WORK/push.err")" "release command exited with status 3" "deploy error shown"
expect_eq "$(git --git-dir="$WORK/remote.git" rev-parse main)" "$pushed" "remote unchanged"
expect_eq "$(curl -fsS -m 5 "$URL/")" "hello pushed" "old release serves"

# Uninstall puts the previous hook back; uninstalling again says there is none.
expect_eq "$("$WM" hook uninstall)" "removed $HOOK" "uninstall"
expect_eq "$(cat "$HOOK")" "$(printf '#!/bin/sh\nexit 0')" "previous hook restored"
err=$("$WM" hook uninstall 2>&1) && fail "uninstall of a foreign hook"
expect_eq "$err" "wm: error: $HOOK was not written by wm; not removing it" "foreign uninstall"
echo ok
