#pragma once
// RAII owners for libssh2's C handles, plus the waiting loop every non-blocking call needs.
// Private to the SSH transport: nothing outside lib/wm/transport/ssh includes libssh2.

#include <libssh2.h>

#include <chrono>
#include <memory>
#include <string>

#include <libssh2_sftp.h>

namespace wm::transport::ssh {

using Deadline = std::chrono::steady_clock::time_point;

/// Holds libssh2_init for as long as it lives (ref-counted by libssh2; guarded by a mutex
/// because libssh2_init itself is not thread-safe). One per connection, never a global ctor.
class Library {
  public:
    Library();
    ~Library();
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;
};

/// A TCP socket file descriptor.
class Socket {
  public:
    explicit Socket(int fd = -1) : m_fd(fd) {}
    ~Socket();
    Socket(Socket&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    Socket& operator=(Socket&& other) noexcept;
    int fd() const { return m_fd; }

  private:
    int m_fd;
};

struct SessionFree {
    void operator()(LIBSSH2_SESSION* s) const;
};
struct ChannelFree {
    void operator()(LIBSSH2_CHANNEL* c) const { libssh2_channel_free(c); }
};
struct SftpFree {
    void operator()(LIBSSH2_SFTP* s) const { libssh2_sftp_shutdown(s); }
};
struct SftpHandleFree {
    void operator()(LIBSSH2_SFTP_HANDLE* h) const { libssh2_sftp_close_handle(h); }
};
struct AgentFree {
    void operator()(LIBSSH2_AGENT* a) const;
};
struct KnownHostsFree {
    void operator()(LIBSSH2_KNOWNHOSTS* k) const { libssh2_knownhost_free(k); }
};

using SessionPtr = std::unique_ptr<LIBSSH2_SESSION, SessionFree>;
using ChannelPtr = std::unique_ptr<LIBSSH2_CHANNEL, ChannelFree>;
using SftpPtr = std::unique_ptr<LIBSSH2_SFTP, SftpFree>;
using SftpHandlePtr = std::unique_ptr<LIBSSH2_SFTP_HANDLE, SftpHandleFree>;
using AgentPtr = std::unique_ptr<LIBSSH2_AGENT, AgentFree>;
using KnownHostsPtr = std::unique_ptr<LIBSSH2_KNOWNHOSTS, KnownHostsFree>;

/// libssh2's message for the last error of `session` ("timed out", "Unable to open ...").
std::string last_error(LIBSSH2_SESSION* session);

/// Waits until the socket is ready in the directions the session is blocked on, sending
/// keepalives meanwhile, or until `also_readable` (when >= 0) has input. Returns false when
/// `deadline` passed.
bool wait_socket(LIBSSH2_SESSION* session, int fd, Deadline deadline, int also_readable = -1);

/// Calls `fn` until it stops returning LIBSSH2_ERROR_EAGAIN (or the deadline passes, which
/// yields LIBSSH2_ERROR_TIMEOUT).
template <typename Fn>
auto retry_eagain(LIBSSH2_SESSION* session, int fd, Deadline deadline, Fn&& fn) {
    for (;;) {
        auto rc = fn();
        if (rc != LIBSSH2_ERROR_EAGAIN) {
            return rc;
        }
        if (!wait_socket(session, fd, deadline)) {
            return decltype(rc)(LIBSSH2_ERROR_TIMEOUT);
        }
    }
}

/// Like retry_eagain for calls that return a pointer (NULL + EAGAIN means "again").
template <typename Fn>
auto retry_eagain_ptr(LIBSSH2_SESSION* session, int fd, Deadline deadline, Fn&& fn) {
    for (;;) {
        auto* p = fn();
        if (p || libssh2_session_last_errno(session) != LIBSSH2_ERROR_EAGAIN) {
            return p;
        }
        if (!wait_socket(session, fd, deadline)) {
            return decltype(p)(nullptr);
        }
    }
}

/// A deadline `timeout` from now; 0 means "practically never".
Deadline deadline_after(std::chrono::milliseconds timeout);

} // namespace wm::transport::ssh
