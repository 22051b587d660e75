// SshTransport, the connection: resolving the target, TCP or jump hosts, handshake, host key,
// authentication and the sudo probe. Commands are in ssh_transport_exec.cpp, files in
// ssh_transport_files.cpp.
#include <wm/base/error.hpp>
#include <wm/transport/ssh/auth.hpp>
#include <wm/transport/ssh/commands.hpp>
#include <wm/transport/ssh/host_keys.hpp>
#include <wm/transport/ssh/jump.hpp>
#include <wm/transport/ssh/ssh_config.hpp>
#include <wm/transport/ssh/ssh_transport.hpp>
#include <wm/transport/ssh/tcp.hpp>

#include <optional>

namespace wm::transport::ssh {

namespace {

using std::chrono::milliseconds;

constexpr long k_call_timeout_ms = 60'000; // one blocking libssh2 call on a live connection

// The hops to go through: the target's own (the manifest's jump:), else ~/.ssh/config's.
std::vector<SshTarget> jump_hosts(const SshTarget& server, const Resolved& r) {
    std::string list = server.jump;
    for (const auto& hop : server.jump.empty() ? r.proxy_jump : std::vector<std::string>{}) {
        list += (list.empty() ? "" : ",") + hop;
    }
    return list.empty() ? std::vector<SshTarget>{} : parse_hops(list);
}

// Handshake, host key check and authentication of one session over `fd`: the server's, or a
// jump host's on the way to it.
SessionPtr start_session(int fd, const std::string& name, const Resolved& r, const SshOptions& opts,
                         Reporter& reporter, Deadline deadline) {
    SessionPtr session(libssh2_session_init());
    if (!session) {
        fail("cannot create an ssh session");
    }
    LIBSSH2_SESSION* s = session.get();
    auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    libssh2_session_set_timeout(s, std::max<long>(static_cast<long>(left.count()), 1));
    if (libssh2_session_handshake(s, fd) != 0) {
        fail("ssh handshake with {} port {}: {}", r.address, r.port, last_error(s));
    }
    HostKeyPolicy policy{opts.known_hosts,
                         r.user_known_hosts.empty() ? opts.user_known_hosts : r.user_known_hosts,
                         opts.accept_new,
                         {}};
    if (opts.interactive) {
        policy.confirm = opts.confirm;
    }
    verify_host_key(s, name, r.address, r.port, policy, reporter);
    AuthInput in{r.user, r.identity_files, opts.identity_files, opts.agent_socket, opts.prompt};
    authenticate(s, fd, deadline, in);
    // Only now: configured before the handshake, libssh2 1.10 fails the key exchange.
    libssh2_keepalive_config(s, 1, static_cast<unsigned>(opts.keepalive.count()));
    libssh2_session_set_timeout(s, k_call_timeout_ms);
    return session;
}

} // namespace

SshTransport::SshTransport(const SshTarget& server, const SshOptions& opts, Reporter& reporter)
    : m_name(server.name.empty() ? server.address : server.name) {
    at_step(m_name, "", [&] {
        Resolved r = resolve_target(server, opts);
        m_address = r.address;
        m_port = r.port;
        auto timeout = std::chrono::duration_cast<milliseconds>(opts.connect_timeout);
        auto deadline = deadline_after(timeout);
        m_socket = connect_through(jump_hosts(server, r), r, opts, reporter, deadline);
        m_session = start_session(m_socket.fd(), m_name, r, opts, reporter, deadline);
        if (r.user != "root") {
            become_root_with_sudo(r.user);
        }
    });
}

void SshTransport::become_root_with_sudo(const std::string& user) {
    RunResult probe = run(sudo_probe_command());
    if (!probe.ok()) {
        fail_here(sudo_refusal(user, probe.exit_code, probe.err));
    }
    m_privilege = Privilege::sudo;
}

Socket SshTransport::connect_through(const std::vector<SshTarget>& hops, const Resolved& target,
                                     const SshOptions& opts, Reporter& reporter,
                                     Deadline deadline) {
    auto timeout = std::chrono::duration_cast<milliseconds>(opts.connect_timeout);
    if (hops.empty()) {
        return connect_tcp(target.address, target.port, timeout, opts.connect_attempts);
    }
    Resolved hop = resolve_target(hops.front(), opts);
    Socket socket = with_context(fmt::format("jump host {}", hops.front().name), [&] {
        return connect_tcp(hop.address, hop.port, timeout, opts.connect_attempts);
    });
    for (size_t i = 0; i < hops.size(); ++i) {
        const std::string& name = hops[i].name;
        Resolved next = i + 1 < hops.size() ? resolve_target(hops[i + 1], opts) : target;
        m_tunnels.push_back(with_context(fmt::format("jump host {}", name), [&] {
            SessionPtr session = start_session(socket.fd(), name, hop, opts, reporter, deadline);
            return std::make_unique<Tunnel>(std::move(socket), std::move(session), name,
                                            next.address, next.port);
        }));
        socket = m_tunnels.back()->take_socket();
        hop = next;
    }
    return socket;
}

void SshTransport::fail_here(const std::string& what) const {
    if (std::optional<std::string> why = lost_connection(m_socket.fd())) {
        throw Error(fmt::format("unreachable: connection lost ({}) while {}; what the server did "
                                "meanwhile is unknown",
                                *why, what))
            .with_server(m_name);
    }
    throw Error(what).with_server(m_name);
}

} // namespace wm::transport::ssh
