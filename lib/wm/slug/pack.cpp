// Writing slugs: a sorted walk of the tree into a pax tar with zstd compression.

#include "archive_handles.hpp"

#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/slug/slug.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wm::slug {

using namespace detail;
namespace stdfs = std::filesystem;

void detail::check(archive* a, int rc, std::string_view call) {
    if (rc >= ARCHIVE_WARN) {
        return;
    }
    const char* msg = archive_error_string(a);
    fail("{}: {}", call, msg != nullptr ? msg : "unknown error");
}

namespace {

/// Relative paths under `dir`, sorted bytewise so the archive order never depends on readdir.
std::vector<std::string> sorted_entries(const stdfs::path& dir) {
    std::vector<std::string> out;
    for (auto it = stdfs::recursive_directory_iterator(dir); it != stdfs::end(it); ++it) {
        out.push_back(it->path().lexically_relative(dir).generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void copy_data(archive* a, const stdfs::path& file) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail("reading {}: {}", file.string(), std::strerror(errno));
    }
    char buf[65536];
    ssize_t n = 0;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) {
        if (archive_write_data(a, buf, static_cast<size_t>(n)) < 0) {
            ::close(fd);
            check(a, ARCHIVE_FATAL, "archive_write_data");
        }
    }
    ::close(fd);
    if (n < 0) {
        fail("reading {}: {}", file.string(), std::strerror(errno));
    }
}

/// Fills `e` from lstat; returns false for entries a slug does not carry.
bool describe(archive_entry* e, const stdfs::path& full, const std::string& rel) {
    struct stat sb {};
    if (::lstat(full.c_str(), &sb) != 0) {
        fail("reading {}: {}", full.string(), std::strerror(errno));
    }
    archive_entry_set_pathname(e, rel.c_str());
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    archive_entry_set_mtime(e, k_mtime, 0);
    if (S_ISDIR(sb.st_mode)) {
        archive_entry_set_filetype(e, AE_IFDIR);
        archive_entry_set_perm(e, 0755);
    } else if (S_ISLNK(sb.st_mode)) {
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_perm(e, 0777);
        archive_entry_set_symlink(e, stdfs::read_symlink(full).c_str());
    } else if (S_ISREG(sb.st_mode)) {
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, (sb.st_mode & 0111) != 0 ? 0755 : 0644);
        archive_entry_set_size(e, sb.st_size);
    } else {
        return false;
    }
    return true;
}

WriterPtr open_writer(const stdfs::path& out) {
    WriterPtr a(archive_write_new());
    check(a.get(), archive_write_set_format_pax_restricted(a.get()), "archive_write_set_format");
    check(a.get(), archive_write_add_filter_zstd(a.get()), "archive_write_add_filter_zstd");
    check(a.get(), archive_write_set_bytes_in_last_block(a.get(), 1), "archive_write_set_bytes");
    check(a.get(), archive_write_open_filename(a.get(), out.c_str()), "archive_write_open");
    return a;
}

} // namespace

PackResult pack(const stdfs::path& dir, const stdfs::path& out) {
    WriterPtr a = open_writer(out);
    PackResult result;
    EntryPtr e(archive_entry_new());
    for (const std::string& rel : sorted_entries(dir)) {
        archive_entry_clear(e.get());
        stdfs::path full = dir / rel;
        if (!describe(e.get(), full, rel)) {
            continue;
        }
        check(a.get(), archive_write_header(a.get(), e.get()), "archive_write_header " + rel);
        if (archive_entry_filetype(e.get()) == AE_IFREG) {
            copy_data(a.get(), full);
        }
        ++result.entries;
    }
    check(a.get(), archive_write_close(a.get()), "archive_write_close");
    result.sha256 = fs::sha256_file(out);
    result.bytes = stdfs::file_size(out);
    return result;
}

} // namespace wm::slug
