// Exporting a commit's tree (or, with --allow-dirty, the tracked files on disk) into a directory.

#include "export_checks.hpp"
#include "git_handles.hpp"
#include "slugignore.hpp"

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

/// Writes a blob entry; returns a symlink's target ("" for a file).
std::string write_blob(git_repository* repo, const git_tree_entry* entry,
                       const stdfs::path& target) {
    git_blob* raw = nullptr;
    check(git_blob_lookup(&raw, repo, git_tree_entry_id(entry)), "git_blob_lookup");
    BlobPtr blob(raw);
    std::string_view data(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                          static_cast<size_t>(git_blob_rawsize(blob.get())));
    if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
        std::string link(data);
        if (::symlink(link.c_str(), target.c_str()) != 0) {
            fail("creating symlink {}: {}", target.string(), std::strerror(errno));
        }
        return link;
    }
    write_plain(target, data, git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB_EXECUTABLE);
    return "";
}

void note_symlink(ExportResult& result, const std::string& stack_path, const std::string& link) {
    if (std::string out = outside_symlink(stack_path, link); !out.empty()) {
        result.outside_symlinks.push_back(out);
    }
}

/// One tree of one repository going into `dest` (the stack's tree, or a submodule's).
struct WalkState {
    git_repository* repo;
    git_oid commit;           ///< whose .gitattributes apply
    stdfs::path dest;         ///< where the walked tree's root lands
    std::string repo_prefix;  ///< path of the walked tree in its repository, "" or "dir/"
    std::string stack_prefix; ///< path of the walked tree in the stack, "" or "vendor/sub/"
    ExportResult* result;
    std::exception_ptr error; ///< stashed here, never thrown through libgit2
};

void walk_tree(WalkState& st, git_tree* tree);

/// A submodule's files, from its commit `id`, into `dest` (failing when the commit is not here).
void export_submodule(const WalkState& parent, const std::string& rel, const git_oid& id) {
    RepoPtr sub = submodule_repo(parent.repo, parent.repo_prefix + rel, id);
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, sub.get(), &id), "git_commit_lookup");
    CommitPtr commit(raw);
    git_tree* raw_tree = nullptr;
    check(git_commit_tree(&raw_tree, commit.get()), "git_commit_tree");
    TreePtr tree(raw_tree);
    WalkState st{sub.get(),     id,     parent.dest / rel, "", parent.stack_prefix + rel + "/",
                 parent.result, nullptr};
    fs::make_dirs(st.dest);
    walk_tree(st, tree.get());
    parent.result->submodules.push_back(parent.stack_prefix + rel);
}

int walk_entry(const char* root, const git_tree_entry* entry, void* payload) {
    auto* st = static_cast<WalkState*>(payload);
    try {
        std::string rel = std::string(root) + git_tree_entry_name(entry);
        if (export_ignored(st->repo, st->commit, st->repo_prefix + rel)) {
            return 1; // skipped, with everything below it
        }
        stdfs::path target = st->dest / rel;
        switch (git_tree_entry_type(entry)) {
        case GIT_OBJECT_TREE:
            fs::make_dirs(target);
            break;
        case GIT_OBJECT_COMMIT:
            export_submodule(*st, rel, *git_tree_entry_id(entry));
            break;
        default:
            note_symlink(*st->result, st->stack_prefix + rel, write_blob(st->repo, entry, target));
        }
        return 0;
    } catch (...) {
        st->error = std::current_exception();
        return -1;
    }
}

void walk_tree(WalkState& st, git_tree* tree) {
    int rc = git_tree_walk(tree, GIT_TREEWALK_PRE, walk_entry, &st);
    if (st.error) {
        std::rethrow_exception(st.error);
    }
    check(rc, "git_tree_walk");
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
    WalkState st{repo,   *git_commit_id(commit), dest, sub.empty() ? "" : sub + "/", "", &result,
                 nullptr};
    walk_tree(st, tree.get());
}

/// Copies one tracked file; returns a symlink's target ("" for a file).
std::string copy_worktree_file(const stdfs::path& from, const stdfs::path& to, bool exec) {
    struct stat sb {};
    if (::lstat(from.c_str(), &sb) != 0) {
        return ""; // deleted in the working tree: not part of the dirty export
    }
    fs::make_dirs(to.parent_path());
    if (S_ISLNK(sb.st_mode)) {
        stdfs::copy_symlink(from, to);
        return stdfs::read_symlink(from).string();
    }
    write_plain(to, fs::read_file(from), exec || (sb.st_mode & 0100) != 0);
    return "";
}

/// The index lists files only: an export-ignore on one of their directories counts too.
bool ignored_with_parents(git_repository* repo, const git_oid& head, const std::string& path) {
    for (size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        if (export_ignored(repo, head, path.substr(0, slash))) {
            return true;
        }
    }
    return export_ignored(repo, head, path);
}

/// --allow-dirty: the tracked files under `sub` as they are in the working tree.
void export_worktree(git_repository* repo, const git_oid& head, const std::string& sub,
                     const stdfs::path& dest, ExportResult& result) {
    git_index* raw = nullptr;
    check(git_repository_index(&raw, repo), "git_repository_index");
    IndexPtr index(raw);
    stdfs::path workdir = git_repository_workdir(repo);
    std::string prefix = sub.empty() ? "" : sub + "/";
    for (size_t i = 0; i < git_index_entrycount(index.get()); ++i) {
        const git_index_entry* e = git_index_get_byindex(index.get(), i);
        std::string path = e->path;
        if (path.rfind(prefix, 0) != 0 || ignored_with_parents(repo, head, path)) {
            continue;
        }
        std::string rel = path.substr(prefix.size());
        if (e->mode == GIT_FILEMODE_COMMIT) {
            WalkState st{repo, head, dest, prefix, "", &result, nullptr};
            export_submodule(st, rel, e->id);
            continue;
        }
        note_symlink(result, rel,
                     copy_worktree_file(workdir / path, dest / rel,
                                        e->mode == GIT_FILEMODE_BLOB_EXECUTABLE));
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
        export_worktree(repo.get(), *git_commit_id(commit.get()), sub, req.dest, result);
    } else {
        export_commit(repo.get(), commit.get(), sub, req.dest, result);
    }
    result.slugignored = apply_slugignore(req.dest);
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
