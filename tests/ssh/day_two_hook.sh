#!/bin/bash
# The pre-push hook on real servers (2 test hosts): a push to a bare remote deploys exactly the
# pushed commit (not HEAD) to both servers, and a failing deploy refuses the push while the old
# release keeps serving.
source "$(dirname "$0")/../testbed/lib.sh"
source "$(dirname "$0")/deploy_hosts.inc"
H=(2 3)
setup_rack "${H[@]}"
export WM_HOME=$ST # the hook's wm finds the rack's known hosts there
git branch -M main
git init -q --bare "$WORK/remote.git"
git remote add origin "$WORK/remote.git"
out=$(wm hook install -e production) || fail "hook install"
expect_contains "$out" "a push to main deploys the pushed commit to production" "hook installed"

sed -i 's/hello from node/hello pushed/' server.js && commit_all "pushed"
pushed=$(git rev-parse HEAD)
sed -i 's/hello pushed/hello not pushed/' server.js && commit_all "local only"
git push -q origin "$pushed:refs/heads/main" 2>"$WORK/push.err" || { cat "$WORK/push.err"; fail "push"; }
for i in "${H[@]}"; do
  expect_eq "$(alias_get "$i" /)" "hello pushed" "the pushed commit serves on $(hname "$i")"
done
expect_eq "$(git --git-dir="$WORK/remote.git" rev-parse main)" "$pushed" "push landed"
list=$(wm deployments list)
expect_contains "$list" "succeeded  ${pushed:0:7}" "the deployment records the pushed commit"
case "$list" in *"$(git rev-parse --short=7 HEAD)"*) fail "HEAD was deployed: $list" ;; esac

# A failing release command refuses the push; both servers keep the pushed release.
sed -i 's/^    release: .*/    release: "exit 3"/' widemesh.yaml && commit_all "broken release"
git push -q origin HEAD:refs/heads/main 2>"$WORK/push.err" && fail "push of a failing deploy landed"
expect_contains "$(cat "$WORK/push.err")" "wm: the deploy failed, so the push was refused" "refusal"
expect_contains "$(cat "$WORK/push.err")" "release command exited with status 3" "the deploy's error"
expect_eq "$(git --git-dir="$WORK/remote.git" rev-parse main)" "$pushed" "remote unchanged"
for i in "${H[@]}"; do
  expect_eq "$(alias_get "$i" /)" "hello pushed" "the old release serves on $(hname "$i")"
done
echo ok
