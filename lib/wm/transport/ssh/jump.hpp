#pragma once
// Jump hosts (OpenSSH's ProxyJump, the manifest's `jump:`): each hop is an authenticated libssh2
// session whose direct-tcpip channel to the next hop is pumped, by a thread of its own, into one
// end of a socket pair; the next session (the next hop's, or the server's) runs its handshake
// over the other end, so host keys are verified and keys offered at every hop as without one.

#include <wm/transport/ssh/handles.hpp>
#include <wm/transport/ssh_target.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace wm::transport::ssh {

/// The hops of a ProxyJump value: comma-separated `[ssh://][user@]host[:port]` ("[::1]:22" for
/// IPv6); unset user and port stay unset (resolved by ~/.ssh/config). Throws Error naming a
/// malformed hop.
std::vector<SshTarget> parse_hops(const std::string& list);

/// One hop's session and the channel it forwards to the next host, pumped to a local socket.
class Tunnel {
  public:
    /// Opens a direct-tcpip channel on `session` (authenticated, over `outer`) to host:port.
    /// Throws Error naming `hop` and the destination when the jump host refuses.
    Tunnel(Socket outer, SessionPtr session, const std::string& hop, const std::string& host,
           int port);
    /// Stops the pump and closes the channel and the hop's session.
    ~Tunnel();
    Tunnel(const Tunnel&) = delete;
    Tunnel& operator=(const Tunnel&) = delete;

    /// The socket the next session runs over (once; the caller owns it).
    Socket take_socket() { return std::move(m_inner); }

  private:
    void pump();
    bool move_bytes(std::string& to_local, std::string& to_channel);
    void wait(bool want_write_local);

    Library m_library; // before the session: destroyed after it
    Socket m_outer;
    SessionPtr m_session;
    ChannelPtr m_channel;
    Socket m_local; ///< our end of the pair
    Socket m_inner; ///< the next session's end, until taken
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace wm::transport::ssh
