#pragma once
// RAII for libarchive (private to wm_slug).

#include <archive.h>

#include <memory>
#include <string_view>

#include <archive_entry.h>

namespace wm::slug::detail {

struct WriteFree {
    void operator()(archive* a) const { archive_write_free(a); }
};
struct ReadFree {
    void operator()(archive* a) const { archive_read_free(a); }
};
struct EntryFree {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using WriterPtr = std::unique_ptr<archive, WriteFree>;
using ReaderPtr = std::unique_ptr<archive, ReadFree>;
using EntryPtr = std::unique_ptr<archive_entry, EntryFree>;

/// Throws wm::Error "<call>: <archive_error_string>" when rc is below ARCHIVE_WARN.
void check(archive* a, int rc, std::string_view call);

} // namespace wm::slug::detail
