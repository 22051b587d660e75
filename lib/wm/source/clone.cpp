// Cloning custom buildpacks given as git URLs (with an optional #ref).

#include "git_handles.hpp"

#include <wm/base/error.hpp>
#include <wm/source/source.hpp>

namespace wm::source {

using namespace detail;

void clone_at(const std::string& url, const std::string& ref, const std::filesystem::path& dest) {
    LibGit2 lib;
    git_repository* raw = nullptr;
    git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
    if (git_clone(&raw, url.c_str(), dest.c_str(), &opts) < 0) {
        const git_error* e = git_error_last();
        fail("cloning {}: {}", url, e != nullptr ? e->message : "unknown error");
    }
    RepoPtr repo(raw);
    if (ref.empty()) {
        return;
    }
    git_object* obj = nullptr;
    std::string spec = ref + "^{commit}";
    if (git_revparse_single(&obj, repo.get(), spec.c_str()) < 0) {
        std::string remote_spec = "origin/" + ref + "^{commit}";
        if (git_revparse_single(&obj, repo.get(), remote_spec.c_str()) < 0) {
            fail("cloning {}: ref '{}' not found", url, ref);
        }
    }
    ObjectPtr target(obj);
    git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
    co.checkout_strategy = GIT_CHECKOUT_FORCE;
    check(git_checkout_tree(repo.get(), target.get(), &co), "git_checkout_tree");
    check(git_repository_set_head_detached(repo.get(), git_object_id(target.get())),
          "git_repository_set_head_detached");
}

} // namespace wm::source
