#include <wm/base/error.hpp>
#include <wm/transport/ssh/jump.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include <poll.h>
#include <sys/socket.h>

namespace wm::transport::ssh {

namespace {

constexpr size_t k_buffer = 256 * 1024; // per direction, before the reader is throttled
constexpr int k_poll_ms = 200;          // how soon a stop request is seen

} // namespace

std::vector<SshTarget> parse_hops(const std::string& list) {
    std::vector<SshTarget> out;
    std::istringstream in(list);
    for (std::string hop; std::getline(in, hop, ',');) {
        out.push_back(parse_ssh_address(hop, "jump host"));
    }
    return out;
}

Tunnel::Tunnel(Socket outer, SessionPtr session, const std::string& hop, const std::string& host,
               int port)
    : m_outer(std::move(outer)), m_session(std::move(session)) {
    LIBSSH2_SESSION* s = m_session.get();
    m_channel.reset(libssh2_channel_direct_tcpip_ex(s, host.c_str(), port, "127.0.0.1", 22));
    if (!m_channel) {
        fail("jump host {} cannot reach {} port {}: {}", hop, host, port, last_error(s));
    }
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        fail("socketpair: {}", std::strerror(errno));
    }
    m_local = Socket(pair[0]);
    m_inner = Socket(pair[1]);
    libssh2_keepalive_config(s, 1, 15);
    libssh2_session_set_blocking(s, 0);
    m_thread = std::thread([this] { pump(); });
}

Tunnel::~Tunnel() {
    m_stop = true;
    ::shutdown(m_local.fd(), SHUT_RDWR);
    if (m_thread.joinable()) {
        m_thread.join();
    }
    m_channel.reset(); // non-blocking: never waits on a gone jump host
}

// One round of copying both ways; returns whether any byte moved. Throws nothing: a broken
// side ends the pump (the next session then sees its socket close and reports it).
bool Tunnel::move_bytes(std::string& to_local, std::string& to_channel) {
    char buf[32768];
    bool moved = false;
    LIBSSH2_CHANNEL* ch = m_channel.get();
    if (to_local.size() < k_buffer) {
        ssize_t n = libssh2_channel_read(ch, buf, sizeof buf);
        if (n > 0) {
            to_local.append(buf, static_cast<size_t>(n));
            moved = true;
        } else if ((n < 0 && n != LIBSSH2_ERROR_EAGAIN) || (n == 0 && libssh2_channel_eof(ch))) {
            m_stop = to_local.empty();
        }
    }
    if (!to_local.empty()) {
        ssize_t n =
            ::send(m_local.fd(), to_local.data(), to_local.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            to_local.erase(0, static_cast<size_t>(n));
            moved = true;
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            m_stop = true;
        }
    }
    if (to_channel.size() < k_buffer) {
        ssize_t n = ::recv(m_local.fd(), buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            to_channel.append(buf, static_cast<size_t>(n));
            moved = true;
        } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
            m_stop = true; // the next session closed its end
        }
    }
    if (!to_channel.empty()) {
        ssize_t n = libssh2_channel_write(ch, to_channel.data(), to_channel.size());
        if (n > 0) {
            to_channel.erase(0, static_cast<size_t>(n));
            moved = true;
        } else if (n < 0 && n != LIBSSH2_ERROR_EAGAIN) {
            m_stop = true;
        }
    }
    return moved;
}

void Tunnel::wait(bool want_write_local) {
    int dirs = libssh2_session_block_directions(m_session.get());
    pollfd fds[2] = {
        {m_outer.fd(),
         static_cast<short>(POLLIN | ((dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND) ? POLLOUT : 0)), 0},
        {m_local.fd(), static_cast<short>(POLLIN | (want_write_local ? POLLOUT : 0)), 0}};
    ::poll(fds, 2, k_poll_ms);
    int next = 0;
    libssh2_keepalive_send(m_session.get(), &next);
}

void Tunnel::pump() {
    std::string to_local, to_channel;
    while (!m_stop) {
        if (!move_bytes(to_local, to_channel)) {
            wait(!to_local.empty());
        }
    }
    ::shutdown(m_local.fd(), SHUT_RDWR);
}

} // namespace wm::transport::ssh
