#include "export_checks.hpp"

#include <wm/base/error.hpp>

#include <filesystem>

namespace wm::source::detail {

namespace stdfs = std::filesystem;

namespace {

using SubmodulePtr = Handle<git_submodule, git_submodule_free>;

std::string short_hex(const git_oid& id) {
    char hex[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(hex, sizeof hex, &id);
    return std::string(hex).substr(0, 7);
}

bool has_commit(git_repository* repo, const git_oid& id) {
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo, &id) < 0) {
        return false;
    }
    git_commit_free(c);
    return true;
}

/// The submodule's own git dir (<git dir>/modules/<name>), kept even when not checked out.
RepoPtr open_module_dir(git_repository* repo, const std::string& name) {
    git_repository* raw = nullptr;
    stdfs::path dir = stdfs::path(git_repository_path(repo)) / "modules" / name;
    if (git_repository_open(&raw, dir.c_str()) < 0) {
        return nullptr;
    }
    return RepoPtr(raw);
}

} // namespace

bool export_ignored(git_repository* repo, const git_oid& commit, const std::string& path) {
    git_attr_options opts = GIT_ATTR_OPTIONS_INIT;
    opts.flags =
        GIT_ATTR_CHECK_INDEX_ONLY | GIT_ATTR_CHECK_NO_SYSTEM | GIT_ATTR_CHECK_INCLUDE_COMMIT;
    git_oid_cpy(&opts.attr_commit_id, &commit);
    const char* value = nullptr;
    if (git_attr_get_ext(&value, repo, &opts, path.c_str(), "export-ignore") < 0) {
        return false;
    }
    return GIT_ATTR_IS_TRUE(value);
}

RepoPtr submodule_repo(git_repository* repo, const std::string& path, const git_oid& id) {
    git_submodule* raw_sm = nullptr;
    if (git_submodule_lookup(&raw_sm, repo, path.c_str()) == 0) {
        SubmodulePtr sm(raw_sm);
        git_repository* raw = nullptr;
        if (git_submodule_open(&raw, sm.get()) == 0) {
            RepoPtr sub(raw);
            if (has_commit(sub.get(), id)) {
                return sub;
            }
        }
        if (RepoPtr sub = open_module_dir(repo, git_submodule_name(sm.get()));
            sub && has_commit(sub.get(), id)) {
            return sub;
        }
    }
    fail("submodule {} needs commit {}, which is not in the local repository; run `git "
         "submodule update --init --recursive` and try again",
         path, short_hex(id));
}

std::string outside_symlink(const std::string& link, const std::string& target) {
    bool outside = !target.empty() && target.front() == '/';
    if (!outside) {
        std::string resolved =
            (stdfs::path(link).parent_path() / target).lexically_normal().generic_string();
        outside = resolved == ".." || resolved.rfind("../", 0) == 0;
    }
    return outside ? link + " -> " + target : "";
}

} // namespace wm::source::detail
