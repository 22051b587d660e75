#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/base/process.hpp>
#include <wm/ops/hook.hpp>
#include <wm/source/source.hpp>

#include <fmt/format.h>

namespace wm::ops {

namespace {

bool is_wm_hook(const std::filesystem::path& path) {
    std::string text = fs::read_file_if_exists(path).value_or("");
    return text.find(std::string("\n") + hook_marker + "\n") != std::string::npos;
}

std::filesystem::path backup_of(const std::filesystem::path& hook) {
    return hook.parent_path() / "pre-push.before-wm";
}

} // namespace

std::string render_pre_push_hook(const HookSpec& spec) {
    std::string env_flag = spec.environment.empty() ? "" : " -e " + shell_quote(spec.environment);
    return fmt::format(R"SH(#!/bin/sh
{marker}
# Deploys exactly the commit pushed to {branch}; a failed deploy fails the push.
# Remove with: wm hook uninstall
wm=$(command -v wm || echo {wm})
status=0
while read -r local_ref local_sha remote_ref remote_sha; do
	[ "$remote_ref" = {ref} ] || continue
	case "$local_sha" in *[!0]*) ;; *) continue ;; esac
	echo "wm: deploying $local_sha ($local_ref) before the push to $remote_ref" >&2
	"$wm" deploy{env} --ref "$local_sha" --wait={wait} </dev/null || status=1
done
[ "$status" = 0 ] || echo "wm: the deploy failed, so the push was refused (git push --no-verify skips the hook)" >&2
exit "$status"
)SH",
                       fmt::arg("marker", hook_marker), fmt::arg("branch", spec.branch),
                       fmt::arg("wm", shell_quote(spec.wm_path)),
                       fmt::arg("ref", shell_quote("refs/heads/" + spec.branch)),
                       fmt::arg("env", env_flag), fmt::arg("wait", shell_quote(spec.wait)));
}

HookInstallResult install_pre_push_hook(const std::filesystem::path& repo_dir, const HookSpec& spec,
                                        bool force) {
    HookInstallResult result;
    result.path = source::hooks_dir(repo_dir) / "pre-push";
    if (std::filesystem::exists(result.path)) {
        result.replaced_own = is_wm_hook(result.path);
        if (!result.replaced_own && !force) {
            throw Error(fmt::format("{} exists and was not written by wm; not overwriting it",
                                    result.path.string()))
                .with_hint("wm hook install --force moves it to pre-push.before-wm");
        }
        if (!result.replaced_own) {
            result.backup = backup_of(result.path);
            std::filesystem::rename(result.path, result.backup);
        }
    }
    fs::make_dirs(result.path.parent_path());
    fs::write_file_atomic(result.path, render_pre_push_hook(spec), 0755);
    return result;
}

std::filesystem::path uninstall_pre_push_hook(const std::filesystem::path& repo_dir) {
    std::filesystem::path path = source::hooks_dir(repo_dir) / "pre-push";
    if (!std::filesystem::exists(path)) {
        fail("{}: no pre-push hook to remove", path.string());
    }
    if (!is_wm_hook(path)) {
        fail("{} was not written by wm; not removing it", path.string());
    }
    std::filesystem::remove(path);
    if (std::filesystem::exists(backup_of(path))) {
        std::filesystem::rename(backup_of(path), path);
    }
    return path;
}

} // namespace wm::ops
