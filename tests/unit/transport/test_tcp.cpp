// transport/ssh/tcp.hpp: a lost connection is told apart by the kernel's view of the socket.
#include <wm/transport/ssh/tcp.hpp>

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace wm::transport::ssh;

namespace {

// A listening socket on 127.0.0.1 and an ephemeral port; returns it and sets `port`.
int listen_loopback(int& port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 1) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    return fd;
}

} // namespace

TEST_CASE("tcp: an established connection is not lost; one the peer closed is") {
    int port = 0;
    int listener = listen_loopback(port);
    Socket client = connect_tcp("127.0.0.1", port, std::chrono::milliseconds(2000), 1);
    int server = ::accept(listener, nullptr, nullptr);
    REQUIRE(server >= 0);
    CHECK_FALSE(lost_connection(client.fd()).has_value());
    ::close(server); // the server's side goes (sshd killed): FIN reaches the client
    ::usleep(50000);
    CHECK(lost_connection(client.fd()) == std::optional<std::string>("closed by the server"));
    ::close(listener);
}

TEST_CASE("tcp: a socket that is not TCP (a jump host's tunnel) is never called lost") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    ::close(fds[1]);
    CHECK_FALSE(lost_connection(fds[0]).has_value());
    ::close(fds[0]);
}
