// SshTransport, commands: one exec channel per command, its stdin, output, window size,
// cancellation and exit status.
#include <wm/base/error.hpp>
#include <wm/base/process.hpp>
#include <wm/transport/ssh/commands.hpp>
#include <wm/transport/ssh/ssh_transport.hpp>

#include <cerrno>
#include <optional>

#include <poll.h>
#include <unistd.h>

namespace wm::transport::ssh {

namespace {

using std::chrono::milliseconds;

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

} // namespace wm::transport::ssh
