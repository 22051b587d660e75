#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/transport/ssh/auth.hpp>
#include <wm/transport/ssh/commands.hpp>
#include <wm/transport/ssh/host_keys.hpp>
#include <wm/transport/ssh/jump.hpp>
#include <wm/transport/ssh/ssh_config.hpp>
#include <wm/transport/ssh/ssh_transport.hpp>
#include <wm/transport/ssh/tcp.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wm::transport::ssh {

namespace {

using std::chrono::milliseconds;

constexpr size_t k_block = 1 << 20;        // SFTP writes: 4 KiB blocks are round-trip bound
constexpr long k_call_timeout_ms = 60'000; // one blocking libssh2 call on a live connection
constexpr std::chrono::milliseconds k_cancel_poll{100}; // how soon a Ctrl-C stops a wait

// The deadline of one wait for output: short when a cancellation is to be polled.
Deadline poll_until(Deadline deadline, const RunOptions& options) {
    bool follows = options.pty && options.pty->size_fd >= 0; // window size checks
    return options.cancel || follows
               ? std::min(deadline, std::chrono::steady_clock::now() + k_cancel_poll)
               : deadline;
}

// A resized window of the user's terminal reaches the remote pty ("window-change", RFC 4254
// §6.7); sshd passes it on and the command gets SIGWINCH.
void follow_size(LIBSSH2_SESSION* s, LIBSSH2_CHANNEL* ch, std::optional<PtySpec>& pty) {
    std::optional<PtySpec> now = pty ? resized(*pty) : std::nullopt;
    if (now) {
        pty = now;
        libssh2_session_set_blocking(s, 1);
        libssh2_channel_request_pty_size(ch, pty->cols, pty->rows);
        libssh2_session_set_blocking(s, 0);
    }
}

int signal_number(const std::string& name) {
    static const std::pair<const char*, int> k_signals[] = {
        {"HUP", 1},   {"INT", 2},   {"QUIT", 3},  {"ABRT", 6}, {"KILL", 9},
        {"SEGV", 11}, {"PIPE", 13}, {"ALRM", 14}, {"TERM", 15}};
    for (const auto& [n, v] : k_signals) {
        if (name == n) {
            return v;
        }
    }
    return 127;
}

std::string sftp_error(LIBSSH2_SESSION* session, LIBSSH2_SFTP* sftp) {
    if (libssh2_session_last_errno(session) != LIBSSH2_ERROR_SFTP_PROTOCOL) {
        return last_error(session);
    }
    switch (libssh2_sftp_last_error(sftp)) {
    case LIBSSH2_FX_NO_SUCH_FILE:
        return "no such file or directory";
    case LIBSSH2_FX_PERMISSION_DENIED:
        return "permission denied";
    case LIBSSH2_FX_FILE_ALREADY_EXISTS:
        return "file exists";
    case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM:
        return "no space left on device";
    default:
        return fmt::format("sftp status {}", libssh2_sftp_last_error(sftp));
    }
}

/// Reads whatever is available on one stream of a non-blocking channel; returns whether
/// anything came, or the libssh2 error code (< 0) of a broken channel.
int drain(LIBSSH2_CHANNEL* ch, int stream, Stream kind, std::string& into,
          const OutputFn& on_output) {
    char buf[32768];
    int got = 0;
    for (;;) {
        ssize_t n = libssh2_channel_read_ex(ch, stream, buf, sizeof buf);
        if (n == LIBSSH2_ERROR_EAGAIN || n == 0) {
            return got;
        }
        if (n < 0) {
            return static_cast<int>(n);
        }
        got = 1;
        into.append(buf, static_cast<size_t>(n));
        if (on_output) {
            on_output(kind, std::string_view(buf, static_cast<size_t>(n)));
        }
    }
}

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

ChannelPtr SshTransport::open_exec(const std::string& line, const std::optional<PtySpec>& pty) {
    LIBSSH2_SESSION* s = m_session.get();
    ChannelPtr ch(libssh2_channel_open_session(s));
    if (!ch) {
        fail_here("opening an ssh channel: " + last_error(s));
    }
    if (pty && libssh2_channel_request_pty_ex(ch.get(), pty->term.data(),
                                              static_cast<unsigned>(pty->term.size()), nullptr, 0,
                                              pty->cols, pty->rows, 0, 0) != 0) {
        fail_here("requesting a terminal: " + last_error(s));
    }
    if (libssh2_channel_exec(ch.get(), line.c_str()) != 0) {
        fail_here("starting a command: " + last_error(s));
    }
    return ch;
}

void SshTransport::send_stdin(LIBSSH2_CHANNEL* ch, std::string_view data, bool eof) {
    while (!data.empty()) {
        ssize_t n = libssh2_channel_write(ch, data.data(), data.size());
        if (n < 0) {
            fail_here("sending input: " + last_error(m_session.get()));
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
    if (eof) {
        libssh2_channel_send_eof(ch);
    }
}

bool SshTransport::pump_stdin(LIBSSH2_CHANNEL* ch, int fd) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) {
        return true;
    }
    char buf[32768];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
        return true;
    }
    libssh2_session_set_blocking(m_session.get(), 1); // a full window waits for the reader
    send_stdin(ch, std::string_view(buf, n > 0 ? static_cast<size_t>(n) : 0), n <= 0);
    libssh2_session_set_blocking(m_session.get(), 0);
    return n > 0;
}

RunResult SshTransport::run(const std::string& command, const RunOptions& options) {
    LIBSSH2_SESSION* s = m_session.get();
    // The remote `timeout` fires first; our deadline only catches a server that stopped talking.
    auto grace = milliseconds(options.timeout.count() > 0 ? 3000 : 0);
    Deadline deadline = deadline_after(options.timeout + grace);
    ChannelPtr ch = open_exec(exec_line(command, options.timeout, m_privilege), options.pty);
    bool forward = options.stdin_fd >= 0 && options.stdin_data.empty();
    if (!forward) {
        send_stdin(ch.get(), options.stdin_data, true);
    }
    RunResult r;
    std::optional<PtySpec> pty = options.pty;
    libssh2_session_set_blocking(s, 0);
    for (;;) {
        forward = forward && pump_stdin(ch.get(), options.stdin_fd);
        follow_size(s, ch.get(), pty);
        int out = drain(ch.get(), 0, Stream::out, r.out, options.on_output);
        int err = drain(ch.get(), SSH_EXTENDED_DATA_STDERR, Stream::err, r.err, options.on_output);
        if (out < 0 || err < 0) {
            std::string why = last_error(s);
            libssh2_session_set_blocking(s, 1);
            fail_here("reading command output: " + why);
        }
        if (libssh2_channel_eof(ch.get())) {
            break;
        }
        if (options.cancel && options.cancel->requested()) {
            r.cancelled = true; // the remote command ends by its own timeout or with the channel
            break;
        }
        if (out + err == 0 && !wait_socket(s, m_socket.fd(), poll_until(deadline, options),
                                           forward ? options.stdin_fd : -1)) {
            r.timed_out = true;
            break;
        }
    }
    libssh2_session_set_blocking(s, 1);
    if (r.cancelled && !options.stop_command.empty()) {
        run(options.stop_command); // on a channel of its own; closing this one waits for its end
    }
    libssh2_channel_close(ch.get());
    libssh2_channel_wait_closed(ch.get());
    char* signal = nullptr;
    libssh2_channel_get_exit_signal(ch.get(), &signal, nullptr, nullptr, nullptr, nullptr, nullptr);
    r.exit_code = signal ? 128 + signal_number(signal) : libssh2_channel_get_exit_status(ch.get());
    libssh2_free(s, signal);
    r.timed_out = r.timed_out || (options.timeout.count() > 0 && r.exit_code == 124);
    return r;
}

LIBSSH2_SFTP* SshTransport::sftp() {
    if (!m_sftp) {
        m_sftp.reset(libssh2_sftp_init(m_session.get()));
        if (!m_sftp) {
            fail_here("starting sftp: " + last_error(m_session.get()));
        }
    }
    return m_sftp.get();
}

void SshTransport::upload(const std::filesystem::path& local, const std::string& remote_path,
                          unsigned mode, const ProgressFn& progress) {
    if (m_privilege == Privilege::root) {
        std::string tmp = temp_name(remote_path, std::random_device{}());
        sftp_put(local, tmp, mode, progress);
        RunResult r = run(rename_command(tmp, remote_path));
        if (!r.ok()) {
            libssh2_sftp_unlink(m_sftp.get(), tmp.c_str());
            fail_here(fmt::format("renaming {} into place: {}", remote_path, r.err));
        }
        return;
    }
    // SFTP writes as the login user: into their home, then root takes the file over.
    std::string mine = home() + "/" + temp_name(".wm-upload", std::random_device{}());
    sftp_put(local, mine, 0600, progress);
    RunResult r = run(adopt_upload_command(mine, temp_name(remote_path, std::random_device{}()),
                                           remote_path, mode));
    if (!r.ok()) {
        fail_here(fmt::format("moving {} into place: {}", remote_path, r.err));
    }
}

void SshTransport::sftp_put(const std::filesystem::path& local, const std::string& tmp,
                            unsigned mode, const ProgressFn& progress) {
    std::ifstream in(local, std::ios::binary);
    if (!in) {
        fail("reading {}: cannot open", local.string());
    }
    std::uint64_t total = std::filesystem::file_size(local), sent = 0;
    SftpHandlePtr h(libssh2_sftp_open(sftp(), tmp.c_str(),
                                      LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL,
                                      static_cast<long>(mode)));
    if (!h) {
        fail_here(fmt::format("creating {}: {}", tmp, sftp_error(m_session.get(), m_sftp.get())));
    }
    std::vector<char> buf(k_block);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        std::string_view chunk(buf.data(), static_cast<size_t>(in.gcount()));
        while (!chunk.empty()) {
            ssize_t n = libssh2_sftp_write(h.get(), chunk.data(), chunk.size());
            if (n < 0) {
                std::string why = sftp_error(m_session.get(), m_sftp.get());
                h.reset();
                libssh2_sftp_unlink(m_sftp.get(), tmp.c_str());
                fail_here(fmt::format("writing {}: {}", tmp, why));
            }
            chunk.remove_prefix(static_cast<size_t>(n));
            sent += static_cast<std::uint64_t>(n);
        }
        if (progress) {
            progress(sent, total);
        }
    }
}

std::string SshTransport::home() {
    if (!m_home.empty()) {
        return m_home;
    }
    char buf[4096];
    int n = libssh2_sftp_realpath(sftp(), ".", buf, sizeof buf);
    if (n <= 0) {
        fail_here("finding the login user's home: " + sftp_error(m_session.get(), m_sftp.get()));
    }
    m_home.assign(buf, static_cast<size_t>(n));
    return m_home;
}

void SshTransport::write_file(const std::string& remote_path, std::string_view data,
                              unsigned mode) {
    std::string tmp = temp_name(remote_path, std::random_device{}());
    RunOptions o;
    o.stdin_data = std::string(data);
    RunResult r = run(write_file_command(remote_path, tmp, mode), o);
    if (!r.ok()) {
        fail_here(fmt::format("writing {}: {}", remote_path, r.err));
    }
}

std::string SshTransport::read_file(const std::string& remote_path) {
    if (m_privilege == Privilege::sudo) { // root's files: SFTP runs as the login user
        RunResult r = run("cat " + shell_quote(remote_path));
        if (!r.ok()) {
            fail_here(
                fmt::format("reading {}: {}", remote_path, r.err.substr(0, r.err.find('\n'))));
        }
        return r.out;
    }
    SftpHandlePtr h(libssh2_sftp_open(sftp(), remote_path.c_str(), LIBSSH2_FXF_READ, 0));
    if (!h) {
        fail_here(
            fmt::format("reading {}: {}", remote_path, sftp_error(m_session.get(), m_sftp.get())));
    }
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = libssh2_sftp_read(h.get(), buf, sizeof buf);
        if (n < 0) {
            fail_here(fmt::format("reading {}: {}", remote_path,
                                  sftp_error(m_session.get(), m_sftp.get())));
        }
        if (n == 0) {
            return out;
        }
        out.append(buf, static_cast<size_t>(n));
    }
}

} // namespace wm::transport::ssh
