#include <wm/source/git_handles.hpp>
#include <wm/source/source.hpp>

namespace wm::source {

namespace {

using ConfigPtr = detail::Handle<git_config, git_config_free>;

// core.hooksPath as git reads it (relative paths are relative to the working tree), or "".
std::filesystem::path configured_hooks_path(git_repository* repo) {
    git_config* raw = nullptr;
    detail::check(git_repository_config_snapshot(&raw, repo), "git_repository_config_snapshot");
    ConfigPtr config(raw);
    const char* value = nullptr;
    if (git_config_get_string(&value, config.get(), "core.hooksPath") != 0 || value == nullptr) {
        return {};
    }
    std::filesystem::path path(value);
    const char* workdir = git_repository_workdir(repo);
    if (path.is_relative() && workdir != nullptr) {
        path = std::filesystem::path(workdir) / path;
    }
    return path;
}

} // namespace

std::filesystem::path hooks_dir(const std::filesystem::path& repo_dir) {
    detail::LibGit2 lib;
    detail::RepoPtr repo = detail::open_repo(repo_dir.c_str());
    if (std::filesystem::path configured = configured_hooks_path(repo.get()); !configured.empty()) {
        return configured;
    }
    return std::filesystem::path(git_repository_path(repo.get())) / "hooks";
}

} // namespace wm::source
