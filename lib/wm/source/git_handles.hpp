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
    LibGit2();
    ~LibGit2();
    LibGit2(const LibGit2&) = delete;
    LibGit2& operator=(const LibGit2&) = delete;
};

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using RepoPtr = Handle<git_repository, git_repository_free>;
using ObjectPtr = Handle<git_object, git_object_free>;
using CommitPtr = Handle<git_commit, git_commit_free>;
using TreePtr = Handle<git_tree, git_tree_free>;
using TreeEntryPtr = Handle<git_tree_entry, git_tree_entry_free>;
using BlobPtr = Handle<git_blob, git_blob_free>;
using StatusListPtr = Handle<git_status_list, git_status_list_free>;
using IndexPtr = Handle<git_index, git_index_free>;

/// Throws wm::Error "<call>: <libgit2 message>" when rc < 0.
void check(int rc, std::string_view call);

/// Opens the repository containing `dir` (searching upwards).
RepoPtr open_repo(const char* dir);

} // namespace wm::source::detail
