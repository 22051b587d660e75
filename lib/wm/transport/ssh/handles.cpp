#include <wm/transport/ssh/handles.hpp>

#include <algorithm>
#include <mutex>

#include <poll.h>
#include <unistd.h>

namespace wm::transport::ssh {

namespace {
std::mutex& init_mutex() {
    static std::mutex m; // guards libssh2_init/exit only; holds no state of ours
    return m;
}
} // namespace

Library::Library() {
    std::lock_guard lock(init_mutex());
    libssh2_init(0);
}

Library::~Library() {
    std::lock_guard lock(init_mutex());
    libssh2_exit();
}

Socket::~Socket() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

Socket& Socket::operator=(Socket&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

void SessionFree::operator()(LIBSSH2_SESSION* s) const {
    // Best effort and bounded: the peer may be gone, so never block here.
    libssh2_session_set_blocking(s, 0);
    libssh2_session_disconnect(s, "bye");
    libssh2_session_free(s);
}

void AgentFree::operator()(LIBSSH2_AGENT* a) const {
    libssh2_agent_disconnect(a);
    libssh2_agent_free(a);
}

std::string last_error(LIBSSH2_SESSION* session) {
    char* msg = nullptr;
    int len = 0;
    libssh2_session_last_error(session, &msg, &len, 0);
    return msg && len > 0 ? std::string(msg, static_cast<size_t>(len)) : "unknown libssh2 error";
}

bool wait_socket(LIBSSH2_SESSION* session, int fd, Deadline deadline, int also_readable) {
    using namespace std::chrono;
    auto now = steady_clock::now();
    if (now >= deadline) {
        return false;
    }
    int next_keepalive = 0;
    libssh2_keepalive_send(session, &next_keepalive);
    auto left = duration_cast<milliseconds>(deadline - now).count() + 1;
    int wait_ms = static_cast<int>(std::min<long long>(left, 60'000));
    if (next_keepalive > 0) {
        wait_ms = std::min(wait_ms, next_keepalive * 1000);
    }
    pollfd p{fd, 0, 0};
    int dir = libssh2_session_block_directions(session);
    p.events = static_cast<short>(((dir & LIBSSH2_SESSION_BLOCK_INBOUND) ? POLLIN : 0) |
                                  ((dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) ? POLLOUT : 0));
    if (p.events == 0) {
        p.events = POLLIN;
    }
    pollfd both[2] = {p, {also_readable, POLLIN, 0}};
    ::poll(both, also_readable >= 0 ? 2 : 1, wait_ms);
    return true;
}

Deadline deadline_after(std::chrono::milliseconds timeout) {
    if (timeout.count() <= 0) {
        return std::chrono::steady_clock::now() + std::chrono::hours(24 * 365);
    }
    return std::chrono::steady_clock::now() + timeout;
}

} // namespace wm::transport::ssh
