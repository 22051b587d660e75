#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/transport/ssh/auth.hpp>
#include <wm/transport/ssh/commands.hpp>
#include <wm/transport/ssh/host_keys.hpp>
#include <wm/transport/ssh/ssh_config.hpp>
#include <wm/transport/ssh/ssh_transport.hpp>
#include <wm/transport/ssh/tcp.hpp>

#include <fstream>
#include <random>

namespace wm::transport::ssh {

namespace {

using std::chrono::milliseconds;

constexpr size_t k_block = 1 << 20;        // SFTP writes: 4 KiB blocks are round-trip bound
constexpr long k_call_timeout_ms = 60'000; // one blocking libssh2 call on a live connection
constexpr std::chrono::milliseconds k_cancel_poll{100}; // how soon a Ctrl-C stops a wait

// The deadline of one wait for output: short when a cancellation is to be polled.
Deadline poll_until(Deadline deadline, const RunOptions& options) {
    return options.cancel ? std::min(deadline, std::chrono::steady_clock::now() + k_cancel_poll)
                          : deadline;
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

} // namespace

SshTransport::SshTransport(const SshTarget& server, const SshOptions& opts, Reporter& reporter)
    : m_name(server.name.empty() ? server.address : server.name) {
    at_step(m_name, "", [&] {
        std::vector<ConfigBlock> config;
        if (!opts.ssh_config.empty()) {
            config = parse_ssh_config(fs::read_file_if_exists(opts.ssh_config).value_or(""));
        }
        Resolved r = resolve(server, config, opts.home);
        m_address = r.address;
        m_user = r.user;
        m_port = r.port;
        m_explicit_keys = r.identity_files;
        auto timeout = std::chrono::duration_cast<milliseconds>(opts.connect_timeout);
        auto deadline = deadline_after(timeout);
        m_socket = connect_tcp(m_address, m_port, timeout, opts.connect_attempts);
        open_session(opts, reporter, deadline);
    });
}

void SshTransport::open_session(const SshOptions& opts, Reporter& reporter, Deadline deadline) {
    m_session.reset(libssh2_session_init());
    if (!m_session) {
        fail("cannot create an ssh session");
    }
    LIBSSH2_SESSION* s = m_session.get();
    auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    libssh2_session_set_timeout(s, std::max<long>(static_cast<long>(left.count()), 1));
    if (libssh2_session_handshake(s, m_socket.fd()) != 0) {
        fail("ssh handshake with {} port {}: {}", m_address, m_port, last_error(s));
    }
    HostKeyPolicy policy{opts.known_hosts, opts.user_known_hosts, opts.accept_new, {}};
    if (opts.interactive) {
        policy.confirm = opts.confirm;
    }
    verify_host_key(s, m_name, m_address, m_port, policy, reporter);
    AuthInput in{m_user, m_explicit_keys, opts.identity_files, opts.agent_socket, opts.prompt};
    authenticate(s, m_socket.fd(), deadline, in);
    // Only now: configured before the handshake, libssh2 1.10 fails the key exchange.
    libssh2_keepalive_config(s, 1, static_cast<unsigned>(opts.keepalive.count()));
    libssh2_session_set_timeout(s, k_call_timeout_ms);
}

void SshTransport::fail_here(const std::string& what) const {
    throw Error(what).with_server(m_name);
}

ChannelPtr SshTransport::open_exec(const std::string& line) {
    LIBSSH2_SESSION* s = m_session.get();
    ChannelPtr ch(libssh2_channel_open_session(s));
    if (!ch) {
        fail_here("opening an ssh channel: " + last_error(s));
    }
    if (libssh2_channel_exec(ch.get(), line.c_str()) != 0) {
        fail_here("starting a command: " + last_error(s));
    }
    return ch;
}

void SshTransport::send_stdin(LIBSSH2_CHANNEL* ch, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = libssh2_channel_write(ch, data.data(), data.size());
        if (n < 0) {
            fail_here("sending input: " + last_error(m_session.get()));
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
    libssh2_channel_send_eof(ch);
}

RunResult SshTransport::run(const std::string& command, const RunOptions& options) {
    LIBSSH2_SESSION* s = m_session.get();
    // The remote `timeout` fires first; our deadline only catches a server that stopped talking.
    auto grace = milliseconds(options.timeout.count() > 0 ? 3000 : 0);
    Deadline deadline = deadline_after(options.timeout + grace);
    ChannelPtr ch = open_exec(exec_line(command, options.timeout));
    send_stdin(ch.get(), options.stdin_data);
    RunResult r;
    libssh2_session_set_blocking(s, 0);
    for (;;) {
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
        if (out + err == 0 && !wait_socket(s, m_socket.fd(), poll_until(deadline, options))) {
            r.timed_out = true;
            break;
        }
    }
    libssh2_session_set_blocking(s, 1);
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
    std::ifstream in(local, std::ios::binary);
    if (!in) {
        fail("reading {}: cannot open", local.string());
    }
    std::uint64_t total = std::filesystem::file_size(local), sent = 0;
    std::string tmp = temp_name(remote_path, std::random_device{}());
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
    h.reset();
    RunResult r = run(rename_command(tmp, remote_path));
    if (!r.ok()) {
        libssh2_sftp_unlink(m_sftp.get(), tmp.c_str());
        fail_here(fmt::format("renaming {} into place: {}", remote_path, r.err));
    }
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
