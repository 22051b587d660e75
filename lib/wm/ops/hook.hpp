#pragma once
// `wm hook install|uninstall`: a git pre-push hook that deploys exactly the commit being pushed
// to one branch, non-interactively, and fails the push when the deploy fails.

#include <filesystem>
#include <string>

namespace wm::ops {

/// What the hook deploys and with which wm.
struct HookSpec {
    std::string environment;     ///< "" : the manifest's first environment (as wm deploy)
    std::string branch = "main"; ///< only pushes to refs/heads/<branch> deploy
    std::string wm_path;         ///< absolute path of wm, used when `wm` is not on PATH
    std::string wait = "10m";    ///< how long a deploy queues for a held lease (wm deploy --wait)
};

/// The text of the pre-push hook for `spec`. Git runs it with the remote's name and URL as
/// arguments and one "<local ref> <local sha> <remote ref> <remote sha>" line per pushed ref on
/// stdin (githooks(5), pre-push); for the line whose remote ref is refs/heads/<branch> and whose
/// local sha is not all zeros (a delete), it runs `wm deploy --ref <local sha>` with stdin
/// closed, and exits 1 when that deploy failed, which makes git refuse the push. The first line
/// after the shebang marks the file as written by wm.
std::string render_pre_push_hook(const HookSpec& spec);

/// The marker line render_pre_push_hook puts on line 2.
inline constexpr const char* hook_marker = "# wm: pre-push hook (wm hook install)";

/// What install_pre_push_hook did.
struct HookInstallResult {
    std::filesystem::path path;   ///< the hook file
    std::filesystem::path backup; ///< where a foreign hook was moved (--force), else empty
    bool replaced_own = false;    ///< an earlier wm hook was rewritten
};

/// Writes the pre-push hook (mode 0755) into the hooks directory of the repository containing
/// `repo_dir`. An existing hook that wm did not write is never overwritten silently: throws
/// Error naming it unless `force`, which moves it to pre-push.before-wm first. Throws Error when
/// `repo_dir` is not in a git repository.
HookInstallResult install_pre_push_hook(const std::filesystem::path& repo_dir, const HookSpec& spec,
                                        bool force);

/// Removes wm's pre-push hook and puts back a hook that --force moved aside. Returns the removed
/// file's path; throws Error when there is no hook or the hook is not wm's.
std::filesystem::path uninstall_pre_push_hook(const std::filesystem::path& repo_dir);

} // namespace wm::ops
