#pragma once
// RAII for libgit2 (private to wm_source): the init guard, owning handle aliases, and check(),
// which reads git_error_last() at the failing call.

#include <git2.h>

#include <memory>
#include <string_view>

namespace wm::source::detail {

/// Keeps libgit2 initialised while alive (git_libgit2_init is reference counted), and turns
/// off the owner check so repositories owned by another uid (CI checkouts, root) open.
class LibGit2 {
  public:
    LibGit2(); ///< git_libgit2_init, and the owner check turned off
    ~LibGit2();
    LibGit2(const LibGit2&) = delete;
    LibGit2& operator=(const LibGit2&) = delete;
};

/// Deleter calling libgit2's `Free` for a `T`.
template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
/// Owns a libgit2 object freed with `Free`; the aliases below name the ones wm uses.
template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using RepoPtr = Handle<git_repository, git_repository_free>;         ///< owns a git_repository
using ObjectPtr = Handle<git_object, git_object_free>;               ///< owns a git_object
using CommitPtr = Handle<git_commit, git_commit_free>;               ///< owns a git_commit
using TreePtr = Handle<git_tree, git_tree_free>;                     ///< owns a git_tree
using TreeEntryPtr = Handle<git_tree_entry, git_tree_entry_free>;    ///< owns a git_tree_entry
using BlobPtr = Handle<git_blob, git_blob_free>;                     ///< owns a git_blob
using StatusListPtr = Handle<git_status_list, git_status_list_free>; ///< owns a git_status_list
using IndexPtr = Handle<git_index, git_index_free>;                  ///< owns a git_index

/// Throws wm::Error "<call>: <libgit2 message>" when rc < 0.
void check(int rc, std::string_view call);

/// Opens the repository containing `dir` (searching upwards).
RepoPtr open_repo(const char* dir);

} // namespace wm::source::detail
