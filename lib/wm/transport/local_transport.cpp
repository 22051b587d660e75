#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/transport/factory.hpp>
#include <wm/transport/local_transport.hpp>

#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace wm::transport {

namespace {

constexpr size_t k_block = 1 << 20;

/// Closes a file descriptor on scope exit.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

std::string errno_text() { return std::strerror(errno); }

void write_all(int fd, const char* data, size_t size, const std::string& path) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            fail("writing {}: {}", path, errno_text());
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
}

/// Copies `from` into the already open `to_fd`, reporting progress per block.
void copy_blocks(const std::filesystem::path& from, int to_fd, const std::string& to,
                 const ProgressFn& progress) {
    Fd in{::open(from.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) {
        fail("reading {}: {}", from.string(), errno_text());
    }
    std::uint64_t total = std::filesystem::file_size(from);
    std::uint64_t sent = 0;
    std::vector<char> buf(k_block);
    for (;;) {
        ssize_t n = ::read(in.fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            fail("reading {}: {}", from.string(), errno_text());
        }
        if (n == 0) {
            break;
        }
        write_all(to_fd, buf.data(), static_cast<size_t>(n), to);
        sent += static_cast<std::uint64_t>(n);
        if (progress) {
            progress(sent, total);
        }
    }
}

} // namespace

LocalTransport::LocalTransport(std::string name, ProcessRunner* runner)
    : m_name(std::move(name)), m_runner(runner ? runner : &m_own_runner) {}

RunResult LocalTransport::run(const std::string& command, const RunOptions& options) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", command};
    spec.stdin_data = options.stdin_data;
    spec.stdin_fd = options.stdin_fd;
    spec.pty = options.pty;
    spec.timeout = options.timeout;
    spec.cancel = options.cancel;
    ProcessResult p = m_runner->run(spec, options.on_output);
    return RunResult{p.exit_code, p.timed_out, std::move(p.out), std::move(p.err), p.cancelled};
}

void LocalTransport::upload(const std::filesystem::path& local, const std::string& remote_path,
                            unsigned mode, const ProgressFn& progress) {
    std::string tmp = remote_path + fmt::format(".tmp-{:08x}", std::random_device{}());
    Fd out{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)};
    if (out.fd < 0) {
        fail("creating {}: {}", tmp, errno_text());
    }
    try {
        copy_blocks(local, out.fd, tmp, progress);
        if (::fsync(out.fd) != 0 || ::rename(tmp.c_str(), remote_path.c_str()) != 0) {
            fail("writing {}: {}", remote_path, errno_text());
        }
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

void LocalTransport::write_file(const std::string& remote_path, std::string_view data,
                                unsigned mode) {
    fs::write_file_atomic(remote_path, data, mode);
}

std::string LocalTransport::read_file(const std::string& remote_path) {
    return fs::read_file(remote_path);
}

std::unique_ptr<Transport> connect_local(std::string name) {
    return std::make_unique<LocalTransport>(std::move(name));
}

} // namespace wm::transport
