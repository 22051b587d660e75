// Reading slugs back into a directory (the deploy side, and tests).

#include "archive_handles.hpp"

#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/slug/slug.hpp>

namespace wm::slug {

using namespace detail;

namespace {

struct DiskFree {
    void operator()(archive* a) const { archive_write_free(a); }
};

void copy_entry_data(archive* in, archive* out) {
    const void* buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int rc = 0;
    while ((rc = archive_read_data_block(in, &buf, &size, &offset)) == ARCHIVE_OK) {
        check(out, static_cast<int>(archive_write_data_block(out, buf, size, offset)),
              "archive_write_data_block");
    }
    if (rc != ARCHIVE_EOF) {
        check(in, rc, "archive_read_data_block");
    }
}

/// Entry names are joined to `dest` here, so libarchive's own absolute/".." checks cannot be
/// used; this is the same check on the name as stored.
void check_relative(const std::string& rel, const std::filesystem::path& archive_path) {
    bool dotdot = rel == ".." || rel.rfind("../", 0) == 0 ||
                  rel.find("/../") != std::string::npos ||
                  (rel.size() >= 3 && rel.compare(rel.size() - 3, 3, "/..") == 0);
    if (rel.empty() || rel.front() == '/' || dotdot) {
        fail("slug {} contains an unsafe path '{}'", archive_path.string(), rel);
    }
}

} // namespace

void unpack(const std::filesystem::path& archive_path, const std::filesystem::path& dest) {
    fs::make_dirs(dest);
    ReaderPtr in(archive_read_new());
    archive_read_support_format_tar(in.get());
    archive_read_support_filter_zstd(in.get());
    check(in.get(), archive_read_open_filename(in.get(), archive_path.c_str(), 65536),
          "opening slug " + archive_path.string());
    std::unique_ptr<archive, DiskFree> out(archive_write_disk_new());
    archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                                                  ARCHIVE_EXTRACT_SECURE_SYMLINKS);
    archive_entry* e = nullptr;
    int rc = 0;
    while ((rc = archive_read_next_header(in.get(), &e)) == ARCHIVE_OK) {
        std::string rel = archive_entry_pathname(e);
        check_relative(rel, archive_path);
        std::string target = (dest / rel).string();
        archive_entry_set_pathname(e, target.c_str());
        check(out.get(), archive_write_header(out.get(), e), "unpacking " + target);
        if (archive_entry_size(e) > 0) {
            copy_entry_data(in.get(), out.get());
        }
    }
    if (rc != ARCHIVE_EOF) {
        check(in.get(), rc, "reading slug " + archive_path.string());
    }
    check(out.get(), archive_write_close(out.get()), "archive_write_close");
}

} // namespace wm::slug
