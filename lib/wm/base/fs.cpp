#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wm::fs {

namespace {

std::string errno_text() { return std::strerror(errno); }

void write_all(int fd, std::string_view data, const stdfs::path& path) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            fail("writing {}: {}", path.string(), errno_text());
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
}

void fsync_dir(const stdfs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::string random_suffix() {
    std::random_device rd;
    return fmt::format("{:08x}", rd());
}

} // namespace

std::optional<std::string> read_file_if_exists(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT) {
            return std::nullopt;
        }
        fail("reading {}: {}", path.string(), errno_text());
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string read_file(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail("reading {}: {}", path.string(), errno_text());
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

AtomicFile::AtomicFile(stdfs::path target, unsigned mode) : m_target(std::move(target)) {
    if (m_target.has_parent_path()) {
        make_dirs(m_target.parent_path());
    }
    m_tmp = m_target;
    m_tmp += ".tmp-" + random_suffix();
    m_fd = ::open(m_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (m_fd < 0) {
        fail("creating {}: {}", m_tmp.string(), errno_text());
    }
    ::fchmod(m_fd, mode); // the umask must not widen or narrow credentials files
}

AtomicFile::~AtomicFile() {
    if (m_fd >= 0) {
        ::close(m_fd);
        ::unlink(m_tmp.c_str());
    }
}

void AtomicFile::write(std::string_view data) { write_all(m_fd, data, m_tmp); }

void AtomicFile::commit() {
    if (::fsync(m_fd) != 0) {
        fail("syncing {}: {}", m_tmp.string(), errno_text());
    }
    ::close(m_fd);
    m_fd = -1;
    if (::rename(m_tmp.c_str(), m_target.c_str()) != 0) {
        std::string err = errno_text();
        ::unlink(m_tmp.c_str());
        fail("renaming {} into place: {}", m_target.string(), err);
    }
    fsync_dir(m_target.has_parent_path() ? m_target.parent_path() : stdfs::path("."));
}

void write_file_atomic(const stdfs::path& path, std::string_view data, unsigned mode) {
    AtomicFile file(path, mode);
    file.write(data);
    file.commit();
}

TempDir::TempDir(const stdfs::path& parent, std::string_view prefix) {
    make_dirs(parent);
    std::string tmpl = (parent / (std::string(prefix) + "XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        fail("creating a temporary directory in {}: {}", parent.string(), errno_text());
    }
    m_path = tmpl;
}

TempDir::~TempDir() {
    if (!m_path.empty()) {
        std::error_code ec;
        stdfs::remove_all(m_path, ec);
    }
}

TempDir::TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) {
    other.m_path.clear();
}

stdfs::path TempDir::release() {
    stdfs::path p = m_path;
    m_path.clear();
    return p;
}

FileLock::FileLock(const stdfs::path& path, bool wait) {
    if (path.has_parent_path()) {
        make_dirs(path.parent_path());
    }
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        fail("opening lock {}: {}", path.string(), errno_text());
    }
    if (::flock(m_fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        std::string err = errno == EWOULDBLOCK ? "held by another wm process" : errno_text();
        ::close(m_fd);
        m_fd = -1;
        fail("locking {}: {}", path.string(), err);
    }
}

FileLock::~FileLock() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

FileLock::FileLock(FileLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }

void make_dirs(const stdfs::path& dir, unsigned mode) {
    std::error_code ec;
    if (stdfs::is_directory(dir, ec)) {
        return;
    }
    if (dir.has_parent_path() && dir.parent_path() != dir) {
        make_dirs(dir.parent_path(), mode);
    }
    if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
        fail("creating directory {}: {}", dir.string(), errno_text());
    }
}

} // namespace wm::fs
