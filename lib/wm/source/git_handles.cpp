#include "git_handles.hpp"

#include <wm/base/error.hpp>

namespace wm::source::detail {

LibGit2::LibGit2() {
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}

LibGit2::~LibGit2() { git_libgit2_shutdown(); }

void check(int rc, std::string_view call) {
    if (rc >= 0) {
        return;
    }
    const git_error* e = git_error_last();
    fail("{}: {}", call, e != nullptr && e->message != nullptr ? e->message : "unknown error");
}

RepoPtr open_repo(const char* dir) {
    git_repository* raw = nullptr;
    int rc = git_repository_open_ext(&raw, dir, 0, nullptr);
    if (rc == GIT_ENOTFOUND) {
        fail("{} is not inside a git repository", dir);
    }
    check(rc, "git_repository_open_ext");
    return RepoPtr(raw);
}

} // namespace wm::source::detail
