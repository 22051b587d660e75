// The pre-push hook is a pure rendering of its spec, checked by exact text.
#include <wm/ops/hook.hpp>

#include <catch2/catch.hpp>

TEST_CASE("the pre-push hook deploys the pushed sha of one branch and fails the push on error") {
    wm::ops::HookSpec spec;
    spec.environment = "staging";
    spec.branch = "release";
    spec.wm_path = "/opt/wm bin/wm";
    CHECK(wm::ops::render_pre_push_hook(spec) == R"SH(#!/bin/sh
# wm: pre-push hook (wm hook install)
# Deploys exactly the commit pushed to release; a failed deploy fails the push.
# Remove with: wm hook uninstall
wm=$(command -v wm || echo '/opt/wm bin/wm')
status=0
while read -r local_ref local_sha remote_ref remote_sha; do
	[ "$remote_ref" = refs/heads/release ] || continue
	case "$local_sha" in *[!0]*) ;; *) continue ;; esac
	echo "wm: deploying $local_sha ($local_ref) before the push to $remote_ref" >&2
	"$wm" deploy -e staging --ref "$local_sha" --wait=10m </dev/null || status=1
done
[ "$status" = 0 ] || echo "wm: the deploy failed, so the push was refused (git push --no-verify skips the hook)" >&2
exit "$status"
)SH");
}

TEST_CASE("without an environment the hook deploys the manifest's default") {
    wm::ops::HookSpec spec;
    spec.wm_path = "/usr/bin/wm";
    std::string text = wm::ops::render_pre_push_hook(spec);
    CHECK(text.find("\"$wm\" deploy --ref \"$local_sha\" --wait=10m </dev/null") !=
          std::string::npos);
    CHECK(text.find("[ \"$remote_ref\" = refs/heads/main ]") != std::string::npos);
}
