#pragma once
// Slugs: reproducible tar.zst archives of a built app tree (libarchive), named by their sha256.

#include <cstdint>
#include <filesystem>
#include <string>

namespace wm::slug {

/// Every entry's mtime in a slug (1980-01-01T00:00:00Z), so equal trees give equal bytes.
inline constexpr std::int64_t k_mtime = 315532800;

/// What pack() wrote.
struct PackResult {
    std::string sha256;      ///< of the compressed archive
    std::uint64_t bytes = 0; ///< compressed size
    std::size_t entries = 0; ///< files, directories and symlinks
};

/// Packs the tree under `dir` into `out` (tar, pax, zstd) with the tree at the archive root:
/// entries sorted by path, uid/gid 0 and no owner names, mtime k_mtime, no atime/ctime/xattrs,
/// modes normalised (directories and executables 0755, other files 0644). Sockets and fifos
/// are skipped; hard links become plain files.
PackResult pack(const std::filesystem::path& dir, const std::filesystem::path& out);

/// Unpacks a slug into `dest` (created), refusing absolute paths, ".." and writes through
/// symlinks.
void unpack(const std::filesystem::path& archive, const std::filesystem::path& dest);

} // namespace wm::slug
