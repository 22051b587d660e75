#pragma once
// RAII for libarchive (private to wm_slug).

#include <archive.h>

#include <memory>
#include <string_view>

#include <archive_entry.h>

namespace wm::slug::detail {

/// Deleter of an archive opened for writing.
struct WriteFree {
    void operator()(archive* a) const { archive_write_free(a); }
};
/// Deleter of an archive opened for reading.
struct ReadFree {
    void operator()(archive* a) const { archive_read_free(a); }
};
/// Deleter of an archive entry.
struct EntryFree {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using WriterPtr = std::unique_ptr<archive, WriteFree>;      ///< owns archive_write_new()
using ReaderPtr = std::unique_ptr<archive, ReadFree>;       ///< owns archive_read_new()
using EntryPtr = std::unique_ptr<archive_entry, EntryFree>; ///< owns archive_entry_new()

/// Throws wm::Error "<call>: <archive_error_string>" when rc is below ARCHIVE_WARN.
void check(archive* a, int rc, std::string_view call);

} // namespace wm::slug::detail
