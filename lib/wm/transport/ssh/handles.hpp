#pragma once
// RAII owners for libssh2's C handles, plus the waiting loop every non-blocking call needs.
// Private to the SSH transport: nothing outside lib/wm/transport/ssh includes libssh2.

#include <libssh2.h>

#include <chrono>
#include <memory>
#include <string>

#include <libssh2_sftp.h>

namespace wm::transport::ssh {

/// When a wait gives up (monotonic clock).
using Deadline = std::chrono::steady_clock::time_point;

/// Holds libssh2_init for as long as it lives (ref-counted by libssh2; guarded by a mutex
/// because libssh2_init itself is not thread-safe). One per connection, never a global ctor.
class Library {
  public:
    Library(); ///< libssh2_init under a process-wide mutex; libssh2_exit on destruction
    ~Library();
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;
};

/// A TCP socket file descriptor.
class Socket {
  public:
    explicit Socket(int fd = -1) : m_fd(fd) {} ///< owns `fd` (-1: none); closed on destruction
    ~Socket();
    Socket(Socket&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    Socket& operator=(Socket&& other) noexcept;
    int fd() const { return m_fd; } ///< -1 when none (or moved from)

  private:
    int m_fd;
};

/// Deleters of the owning pointers below: each closes its handle the way libssh2 asks.
/// A session is disconnected without blocking (the peer may be gone), then freed.
struct SessionFree {
    void operator()(LIBSSH2_SESSION* s) const;
};
/// Frees a channel (libssh2_channel_free).
struct ChannelFree {
    void operator()(LIBSSH2_CHANNEL* c) const { libssh2_channel_free(c); }
};
/// Ends an SFTP subsystem (libssh2_sftp_shutdown).
struct SftpFree {
    void operator()(LIBSSH2_SFTP* s) const { libssh2_sftp_shutdown(s); }
};
/// Closes an SFTP file handle.
struct SftpHandleFree {
    void operator()(LIBSSH2_SFTP_HANDLE* h) const { libssh2_sftp_close_handle(h); }
};
/// Disconnects from ssh-agent, then frees the handle.
struct AgentFree {
    void operator()(LIBSSH2_AGENT* a) const;
};
/// Frees a known_hosts collection.
struct KnownHostsFree {
    void operator()(LIBSSH2_KNOWNHOSTS* k) const { libssh2_knownhost_free(k); }
};

using SessionPtr = std::unique_ptr<LIBSSH2_SESSION, SessionFree>;           ///< one connection
using ChannelPtr = std::unique_ptr<LIBSSH2_CHANNEL, ChannelFree>;           ///< one command
using SftpPtr = std::unique_ptr<LIBSSH2_SFTP, SftpFree>;                    ///< a session's SFTP
using SftpHandlePtr = std::unique_ptr<LIBSSH2_SFTP_HANDLE, SftpHandleFree>; ///< one open file
using AgentPtr = std::unique_ptr<LIBSSH2_AGENT, AgentFree>;                 ///< ssh-agent
using KnownHostsPtr = std::unique_ptr<LIBSSH2_KNOWNHOSTS, KnownHostsFree>;  ///< parsed hosts

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
