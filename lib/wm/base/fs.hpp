#pragma once
// Small filesystem helpers: whole-file reads, atomic writes with explicit commit, temp dirs, locks.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace wm::fs {

namespace stdfs = std::filesystem;

/// Reads a whole file; throws Error naming the path when it cannot.
std::string read_file(const stdfs::path& path);
/// Reads a whole file, or nullopt when it does not exist.
std::optional<std::string> read_file_if_exists(const stdfs::path& path);

/// A file written to a temporary sibling and renamed over the target on commit().
/// The destructor never commits: an abandoned write leaves the old file intact.
class AtomicFile {
  public:
    /// Creates the parent directories and the temporary sibling with exactly `mode` (the
    /// umask does not apply); throws Error when it cannot.
    AtomicFile(stdfs::path target, unsigned mode = 0644);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Appends `data` to the temporary file; throws Error on a failed write.
    void write(std::string_view data);
    /// fsyncs the data, renames it into place and fsyncs the directory.
    void commit();

  private:
    stdfs::path m_target;
    stdfs::path m_tmp;
    int m_fd = -1;
};

/// Writes `data` to `path` atomically with the given mode, creating parent directories.
void write_file_atomic(const stdfs::path& path, std::string_view data, unsigned mode = 0644);

/// A temporary directory removed (recursively) on destruction unless released.
class TempDir {
  public:
    /// Creates `<parent>/<prefix>XXXXXX` (and `parent`); throws Error when it cannot.
    explicit TempDir(const stdfs::path& parent = stdfs::temp_directory_path(),
                     std::string_view prefix = "wm-");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&& other) noexcept;

    const stdfs::path& path() const { return m_path; } ///< empty once released or moved from
    /// Keeps the directory on destruction and returns its path.
    stdfs::path release();

  private:
    stdfs::path m_path;
};

/// An exclusive flock(2) on a file, held until destruction (released if the process dies).
class FileLock {
  public:
    /// Blocks until the lock is held when `wait`; otherwise throws Error if another holder has it.
    FileLock(const stdfs::path& path, bool wait);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    FileLock(FileLock&& other) noexcept;

  private:
    int m_fd = -1;
};

/// Creates `dir` and its parents with the given mode (existing directories are left alone).
void make_dirs(const stdfs::path& dir, unsigned mode = 0755);

/// Lower-case hex sha256 of a file's contents.
std::string sha256_file(const stdfs::path& path);
/// Lower-case hex sha256 of a byte string.
std::string sha256_hex(std::string_view data);

} // namespace wm::fs
