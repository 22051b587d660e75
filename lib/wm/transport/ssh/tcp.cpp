#include <wm/base/error.hpp>
#include <wm/transport/ssh/tcp.hpp>
#include <wm/transport/transport.hpp>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <thread>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wm::transport::ssh {

namespace {

using Clock = std::chrono::steady_clock;

struct AddrInfoFree {
    void operator()(addrinfo* a) const { freeaddrinfo(a); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoFree>;

AddrInfoPtr resolve(const std::string& address, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    int rc = getaddrinfo(address.c_str(), std::to_string(port).c_str(), &hints, &res);
    if (rc != 0) {
        fail("cannot resolve {}: {}", address, gai_strerror(rc));
    }
    return AddrInfoPtr(res);
}

// How long sent data may stay unacknowledged before the connection counts as lost. The SSH
// keepalive (every 5 s) always has data in flight, so a cut link or a dead server fails the
// wait within keepalive + this, not after TCP's retransmissions (~15 min).
constexpr unsigned k_unacked_limit_ms = 10'000;

void set_options(int fd) {
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &k_unacked_limit_ms, sizeof k_unacked_limit_ms);
}

/// One non-blocking connect bounded by `deadline`; returns the socket or sets `why`.
Socket try_connect(const addrinfo& ai, Clock::time_point deadline, std::string& why) {
    Socket s(::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (s.fd() < 0) {
        why = std::strerror(errno);
        return Socket();
    }
    if (::connect(s.fd(), ai.ai_addr, ai.ai_addrlen) != 0 && errno != EINPROGRESS) {
        why = std::strerror(errno);
        return Socket();
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{s.fd(), POLLOUT, 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
    if (rc == 0) {
        why = "timed out";
        return Socket();
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (rc < 0 || err != 0) {
        why = std::strerror(rc < 0 ? errno : err);
        return Socket();
    }
    // libssh2 drives the socket itself; it must be blocking from here on.
    ::fcntl(s.fd(), F_SETFL, ::fcntl(s.fd(), F_GETFL) & ~O_NONBLOCK);
    set_options(s.fd());
    return s;
}

} // namespace

Socket connect_tcp(const std::string& address, int port, std::chrono::milliseconds timeout,
                   int attempts) {
    auto deadline = Clock::now() + timeout;
    AddrInfoPtr addrs = resolve(address, port);
    std::string why = "timed out";
    auto backoff = std::chrono::milliseconds(250);
    for (int attempt = 1; attempt <= std::max(attempts, 1); ++attempt) {
        for (addrinfo* ai = addrs.get(); ai; ai = ai->ai_next) {
            Socket s = try_connect(*ai, deadline, why);
            if (s.fd() >= 0) {
                return s;
            }
        }
        if (Clock::now() + backoff >= deadline) {
            break;
        }
        std::this_thread::sleep_for(backoff);
        backoff *= 2;
    }
    if (why == "timed out") {
        why = fmt::format("timed out after {}s", timeout.count() / 1000.0);
    } else if (!why.empty()) {
        why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
    }
    throw Error(unreachable_message(address, port, why));
}

std::optional<std::string> lost_connection(int fd) {
    tcp_info info{};
    socklen_t len = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0 ||
        info.tcpi_state == TCP_ESTABLISHED) {
        return std::nullopt;
    }
    int err = 0;
    len = sizeof err;
    (void)::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return err != 0                            ? std::string(std::strerror(err))
           : info.tcpi_state == TCP_CLOSE_WAIT ? "closed by the server"
                                               : "closed";
}

} // namespace wm::transport::ssh
