// Exporting a commit's tree (or, with --allow-dirty, the tracked files on disk) into a directory.

#include "git_handles.hpp"

#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/source/source.hpp>

#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

namespace wm::source {

using namespace detail;
namespace stdfs = std::filesystem;

namespace {

std::string normalise_subpath(std::string p) {
    while (p.rfind("./", 0) == 0) {
        p.erase(0, 2);
    }
    while (!p.empty() && p.back() == '/') {
        p.pop_back();
    }
    return p == "." ? std::string() : p;
}

/// The stack path relative to the repository root: `subpath` is relative to `dir`, which may
/// be a subdirectory of the working tree (a manifest kept below the repository root).
std::string repo_subpath(git_repository* repo, const stdfs::path& dir, const std::string& subpath) {
    const char* workdir = git_repository_workdir(repo);
    stdfs::path base;
    if (workdir != nullptr) {
        base = stdfs::weakly_canonical(dir).lexically_relative(stdfs::weakly_canonical(workdir));
    }
    std::string joined = (base / subpath).lexically_normal().generic_string();
    if (joined.rfind("..", 0) == 0) {
        fail("stack path '{}' is outside the repository", subpath);
    }
    return normalise_subpath(joined);
}

CommitPtr resolve_commit(git_repository* repo, const std::string& ref) {
    git_object* obj = nullptr;
    std::string spec = ref + "^{commit}";
    if (git_revparse_single(&obj, repo, spec.c_str()) < 0) {
        const git_error* e = git_error_last();
        fail("cannot resolve ref '{}': {}", ref, e != nullptr ? e->message : "not found");
    }
    return CommitPtr(reinterpret_cast<git_commit*>(obj));
}

CommitInfo info_of(const git_commit* commit) {
    CommitInfo info;
    char hex[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(hex, sizeof hex, git_commit_id(commit));
    info.commit = hex;
    info.short_commit = info.commit.substr(0, 7);
    const char* summary = git_commit_summary(const_cast<git_commit*>(commit));
    info.subject = summary != nullptr ? summary : "";
    const git_signature* sig = git_commit_author(commit);
    info.author = std::string(sig->name) + " <" + sig->email + ">";
    return info;
}

bool is_head(git_repository* repo, const git_commit* commit) {
    git_oid head;
    if (git_reference_name_to_id(&head, repo, "HEAD") < 0) {
        return false;
    }
    return git_oid_equal(&head, git_commit_id(commit)) != 0;
}

/// A plain write: an export goes to a fresh directory, so no atomic rename or fsync is needed.
void write_plain(const stdfs::path& target, std::string_view data, bool exec) {
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) {
        fail("writing {}: {}", target.string(), std::strerror(errno));
    }
    stdfs::permissions(target, exec ? stdfs::perms(0755) : stdfs::perms(0644));
}

void write_blob(git_repository* repo, const git_tree_entry* entry, const stdfs::path& target) {
    git_blob* raw = nullptr;
    check(git_blob_lookup(&raw, repo, git_tree_entry_id(entry)), "git_blob_lookup");
    BlobPtr blob(raw);
    std::string_view data(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                          static_cast<size_t>(git_blob_rawsize(blob.get())));
    if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
        if (::symlink(std::string(data).c_str(), target.c_str()) != 0) {
            fail("creating symlink {}: {}", target.string(), std::strerror(errno));
        }
        return;
    }
    write_plain(target, data, git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB_EXECUTABLE);
}

/// State of one git_tree_walk; exceptions are stashed here, never thrown through libgit2.
struct WalkState {
    git_repository* repo;
    stdfs::path dest;
    std::string prefix; ///< repo-relative path of the walked tree, "" or "dir/"
    ExportResult* result;
    std::exception_ptr error;
};

int walk_entry(const char* root, const git_tree_entry* entry, void* payload) {
    auto* st = static_cast<WalkState*>(payload);
    try {
        std::string rel = std::string(root) + git_tree_entry_name(entry);
        stdfs::path target = st->dest / rel;
        switch (git_tree_entry_type(entry)) {
        case GIT_OBJECT_TREE:
            fs::make_dirs(target);
            break;
        case GIT_OBJECT_COMMIT:
            st->result->skipped_submodules.push_back(st->prefix + rel);
            break;
        default:
            write_blob(st->repo, entry, target);
        }
        return 0;
    } catch (...) {
        st->error = std::current_exception();
        return -1;
    }
}

TreePtr stack_tree(git_repository* repo, git_commit* commit, const std::string& sub,
                   const std::string& short_id) {
    git_tree* raw = nullptr;
    check(git_commit_tree(&raw, commit), "git_commit_tree");
    TreePtr root(raw);
    if (sub.empty()) {
        return root;
    }
    git_tree_entry* e = nullptr;
    if (git_tree_entry_bypath(&e, root.get(), sub.c_str()) < 0) {
        fail("stack path '{}' does not exist in commit {}", sub, short_id);
    }
    TreeEntryPtr entry(e);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
        fail("stack path '{}' is not a directory in commit {}", sub, short_id);
    }
    check(git_tree_lookup(&raw, repo, git_tree_entry_id(entry.get())), "git_tree_lookup");
    return TreePtr(raw);
}

void export_commit(git_repository* repo, git_commit* commit, const std::string& sub,
                   const stdfs::path& dest, ExportResult& result) {
    TreePtr tree = stack_tree(repo, commit, sub, result.commit.short_commit);
    WalkState st{repo, dest, sub.empty() ? "" : sub + "/", &result, nullptr};
    int rc = git_tree_walk(tree.get(), GIT_TREEWALK_PRE, walk_entry, &st);
    if (st.error) {
        std::rethrow_exception(st.error);
    }
    check(rc, "git_tree_walk");
}

void copy_worktree_file(const stdfs::path& from, const stdfs::path& to, bool exec) {
    struct stat sb {};
    if (::lstat(from.c_str(), &sb) != 0) {
        return; // deleted in the working tree: not part of the dirty export
    }
    fs::make_dirs(to.parent_path());
    if (S_ISLNK(sb.st_mode)) {
        stdfs::copy_symlink(from, to);
        return;
    }
    write_plain(to, fs::read_file(from), exec || (sb.st_mode & 0100) != 0);
}

/// --allow-dirty: the tracked files under `sub` as they are in the working tree.
void export_worktree(git_repository* repo, const std::string& sub, const stdfs::path& dest,
                     ExportResult& result) {
    git_index* raw = nullptr;
    check(git_repository_index(&raw, repo), "git_repository_index");
    IndexPtr index(raw);
    stdfs::path workdir = git_repository_workdir(repo);
    std::string prefix = sub.empty() ? "" : sub + "/";
    for (size_t i = 0; i < git_index_entrycount(index.get()); ++i) {
        const git_index_entry* e = git_index_get_byindex(index.get(), i);
        std::string path = e->path;
        if (path.rfind(prefix, 0) != 0) {
            continue;
        }
        if (e->mode == GIT_FILEMODE_COMMIT) {
            result.skipped_submodules.push_back(path);
            continue;
        }
        copy_worktree_file(workdir / path, dest / path.substr(prefix.size()),
                           e->mode == GIT_FILEMODE_BLOB_EXECUTABLE);
    }
}

std::vector<std::string> dirty_paths(git_repository* repo, const std::string& sub) {
    git_status_options opts = GIT_STATUS_OPTIONS_INIT;
    opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    std::string spec = sub + "/";
    char* specs[] = {spec.data()};
    if (!sub.empty()) {
        opts.pathspec = {specs, 1};
    }
    git_status_list* raw = nullptr;
    check(git_status_list_new(&raw, repo, &opts), "git_status_list_new");
    StatusListPtr list(raw);
    std::vector<std::string> out;
    for (size_t i = 0; i < git_status_list_entrycount(list.get()); ++i) {
        const git_status_entry* e = git_status_byindex(list.get(), i);
        const git_diff_delta* d =
            e->head_to_index != nullptr ? e->head_to_index : e->index_to_workdir;
        if (d != nullptr && (e->status & ~GIT_STATUS_WT_NEW) != 0) {
            out.push_back(d->new_file.path != nullptr ? d->new_file.path : d->old_file.path);
        }
    }
    return out;
}

std::string list_files(const std::vector<std::string>& files) {
    std::string out;
    for (size_t i = 0; i < files.size() && i < 5; ++i) {
        out += (i ? ", " : "") + files[i];
    }
    return files.size() > 5 ? out + ", ..." : out;
}

} // namespace

namespace {

/// Resolves the commit and decides dirty; writes the files only when `write`.
ExportResult run_export(const ExportRequest& req, bool write) {
    LibGit2 lib;
    RepoPtr repo = open_repo(req.repo_dir.c_str());
    CommitPtr commit = resolve_commit(repo.get(), req.ref);
    std::string sub = repo_subpath(repo.get(), req.repo_dir, req.subpath);
    ExportResult result;
    result.commit = info_of(commit.get());
    std::vector<std::string> dirty;
    if (!git_repository_is_bare(repo.get()) && is_head(repo.get(), commit.get())) {
        dirty = dirty_paths(repo.get(), sub);
    }
    if (!dirty.empty() && !req.allow_dirty) {
        fail("working tree has uncommitted changes to tracked files ({}); commit them or pass "
             "--allow-dirty",
             list_files(dirty));
    }
    result.dirty = !dirty.empty();
    if (!write) {
        return result;
    }
    fs::make_dirs(req.dest);
    if (result.dirty) {
        export_worktree(repo.get(), sub, req.dest, result);
    } else {
        export_commit(repo.get(), commit.get(), sub, req.dest, result);
    }
    return result;
}

} // namespace

ExportResult export_tree(const ExportRequest& req) { return run_export(req, true); }

ExportResult inspect_tree(const ExportRequest& req) { return run_export(req, false); }

std::vector<std::string> dirty_files(const stdfs::path& repo_dir, const std::string& subpath) {
    LibGit2 lib;
    RepoPtr repo = open_repo(repo_dir.c_str());
    return dirty_paths(repo.get(), repo_subpath(repo.get(), repo_dir, subpath));
}

CommitInfo describe_commit(const stdfs::path& repo_dir, const std::string& ref) {
    LibGit2 lib;
    RepoPtr repo = open_repo(repo_dir.c_str());
    return info_of(resolve_commit(repo.get(), ref).get());
}

} // namespace wm::source
