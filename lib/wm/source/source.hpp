#pragma once
// The source of a build: the committed tree of a git commit at a stack's path (libgit2).

#include <filesystem>
#include <string>
#include <vector>

namespace wm::source {

/// Identity of a commit as recorded in a release.
struct CommitInfo {
    std::string commit;       ///< 40-hex id
    std::string short_commit; ///< 7-hex id
    std::string subject;      ///< first line of the message
    std::string author;       ///< "Name <email>"
};

/// What to export.
struct ExportRequest {
    std::filesystem::path repo_dir; ///< any directory inside the repository (the manifest's)
    std::string ref = "HEAD";       ///< anything git rev-parse understands
    std::string subpath = ".";      ///< the stack's path, relative to `repo_dir`
    std::filesystem::path dest;     ///< created if missing; must be empty
    bool allow_dirty = false;
};

/// What was exported.
struct ExportResult {
    CommitInfo commit;
    bool dirty = false; ///< the working tree (with tracked changes) was used instead of the commit
    std::vector<std::string> submodules;       ///< stack-relative paths, exported from their repos
    std::vector<std::string> outside_symlinks; ///< "link -> target" leaving the stack's path
    std::vector<std::string> slugignored;      ///< stack-relative paths removed by .slugignore
};

/// Exports the stack's files into `dest`, keeping symlinks and exec bits: submodules from their
/// own repositories at the recorded commit (Error naming the submodule, the commit and `git
/// submodule update --init --recursive` when the commit is not available locally); without
/// paths marked export-ignore in .gitattributes; then without what the stack's .slugignore
/// matches (Heroku's rules; Error for a "!" negation). Symlinks leaving the stack's path are
/// listed in `outside_symlinks`, not refused.
/// When `ref` is the checked-out commit and tracked files under `subpath` differ from it, throws
/// "working tree has uncommitted changes to tracked files (a, b); commit them or pass
/// --allow-dirty" unless `allow_dirty`, which exports the tracked files as they are on disk.
ExportResult export_tree(const ExportRequest& req);

/// export_tree without writing anything (`dest` is unused): the commit and whether the working
/// tree would be used, with the same dirty refusal. Cheap: decides whether a build can be reused.
ExportResult inspect_tree(const ExportRequest& req);

/// Repo-relative paths of tracked files under `subpath` (relative to `repo_dir`) that differ from
/// HEAD (index or working tree); untracked and ignored files are not listed.
std::vector<std::string> dirty_files(const std::filesystem::path& repo_dir,
                                     const std::string& subpath);

/// Commit info of `ref` in the repository containing `repo_dir`.
CommitInfo describe_commit(const std::filesystem::path& repo_dir, const std::string& ref);

/// The directory git runs hooks from for the repository containing `repo_dir`: core.hooksPath
/// when set (relative to the working tree), else <git dir>/hooks (githooks(5)). Throws Error
/// when `repo_dir` is not in a git repository.
std::filesystem::path hooks_dir(const std::filesystem::path& repo_dir);

/// Clones `url` (a path, file:// URL or anything libgit2 can fetch) into the new directory
/// `dest` and checks out `ref` (branch, tag or commit; empty: the remote's default branch).
void clone_at(const std::string& url, const std::string& ref, const std::filesystem::path& dest);

} // namespace wm::source
