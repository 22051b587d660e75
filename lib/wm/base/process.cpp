#include <wm/base/cancel.hpp>
#include <wm/base/error.hpp>
#include <wm/base/process.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace wm {

namespace {

constexpr int k_cancel_poll_ms = 100; // how soon a Ctrl-C stops a running process

struct Pipe {
    int fd[2] = {-1, -1};
    Pipe() {
        if (::pipe2(fd, O_CLOEXEC) != 0) {
            fail("creating a pipe: {}", std::strerror(errno));
        }
    }
    ~Pipe() { close_both(); }
    void close_end(int i) {
        if (fd[i] >= 0) {
            ::close(fd[i]);
            fd[i] = -1;
        }
    }
    void close_both() {
        close_end(0);
        close_end(1);
    }
};

std::vector<std::string> build_env(const ProcessSpec& spec) {
    std::map<std::string, std::string> merged;
    if (!spec.clear_env) {
        for (char** e = environ; *e != nullptr; ++e) {
            std::string_view kv(*e);
            auto eq = kv.find('=');
            if (eq != std::string_view::npos) {
                merged[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
            }
        }
    }
    for (const auto& [k, v] : spec.env) {
        merged[k] = v;
    }
    std::vector<std::string> out;
    for (const auto& [k, v] : merged) {
        out.push_back(k + "=" + v);
    }
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& words) {
    std::vector<char*> out;
    for (auto& w : words) {
        out.push_back(w.data());
    }
    out.push_back(nullptr);
    return out;
}

// In a forked child, with its descriptors in place: the spec's cwd, then its program.
[[noreturn]] void chdir_and_exec(const ProcessSpec& spec, std::vector<char*>& argv,
                                 std::vector<char*>& envp) {
    if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) {
        dprintf(2, "wm: cannot change to %s: %s\n", spec.cwd.c_str(), std::strerror(errno));
        ::_exit(127);
    }
    ::execvpe(argv[0], argv.data(), envp.data());
    dprintf(2, "wm: cannot run %s: %s\n", argv[0], std::strerror(errno));
    ::_exit(127);
}

[[noreturn]] void exec_child(const ProcessSpec& spec, Pipe& in, Pipe& out, Pipe& err,
                             std::vector<char*>& argv, std::vector<char*>& envp) {
    ::dup2(spec.stdin_fd >= 0 && spec.stdin_data.empty() ? spec.stdin_fd : in.fd[0], 0);
    ::dup2(out.fd[1], 1);
    ::dup2(err.fd[1], 2);
    ::setpgid(0, 0); // own process group, so a timeout kills the whole tree
    chdir_and_exec(spec, argv, envp);
}

int decode_status(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

// The child's side of a pty run: its own session, the pty as its controlling terminal.
[[noreturn]] void exec_on_pty(const ProcessSpec& spec, int slave, std::vector<char*>& argv,
                              std::vector<char*>& envp) {
    ::setsid();
    ::ioctl(slave, TIOCSCTTY, 0);
    ::dup2(slave, 0);
    ::dup2(slave, 1);
    ::dup2(slave, 2);
    chdir_and_exec(spec, argv, envp);
}

/// Copies what `from` has ready to `to`; false once `from` ended (EOF, or EIO: the pty's
/// other side closed).
bool relay(int from, int to, std::string* keep, const OutputFn& on_output) {
    char buf[16384];
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
        return true;
    }
    if (n <= 0) {
        return false;
    }
    std::string_view chunk(buf, static_cast<size_t>(n));
    if (keep) {
        keep->append(chunk);
        if (on_output) {
            on_output(Stream::out, chunk);
        }
    }
    for (size_t at = 0; to >= 0 && at < chunk.size();) {
        ssize_t w = ::write(to, chunk.data() + at, chunk.size() - at);
        if (w < 0 && errno != EINTR) {
            break;
        }
        at += w > 0 ? static_cast<size_t>(w) : 0;
    }
    return true;
}

// Passes a new window size of the user's terminal on to the pty; the kernel then sends the
// command SIGWINCH (tty_ioctl(4)).
void follow_size(PtySpec& pty, int master) {
    if (std::optional<PtySpec> now = resized(pty)) {
        pty = *now;
        winsize size{pty.rows, pty.cols, 0, 0};
        ::ioctl(master, TIOCSWINSZ, &size);
    }
}

ProcessResult run_on_pty(const ProcessSpec& spec, const OutputFn& on_output,
                         std::vector<char*>& argv, std::vector<char*>& envp) {
    PtySpec pty = *spec.pty;
    winsize size{pty.rows, pty.cols, 0, 0};
    int master = -1, slave = -1;
    if (::openpty(&master, &slave, nullptr, nullptr, &size) != 0) {
        fail("opening a pseudo-terminal: {}", std::strerror(errno));
    }
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(master);
        exec_on_pty(spec, slave, argv, envp);
    }
    ::close(slave);
    if (pid < 0) {
        ::close(master);
        fail("starting {}: {}", spec.argv[0], std::strerror(errno));
    }
    ProcessResult result;
    int in = spec.stdin_fd;
    for (;;) {
        if (spec.cancel && spec.cancel->requested()) {
            result.cancelled = true;
            ::kill(-pid, SIGKILL);
            break;
        }
        follow_size(pty, master);
        pollfd fds[2] = {{master, POLLIN, 0}, {in, POLLIN, 0}};
        if (::poll(fds, in >= 0 ? 2 : 1, k_cancel_poll_ms) < 0 && errno != EINTR) {
            break;
        }
        if (fds[0].revents != 0 && !relay(master, -1, &result.out, on_output)) {
            break;
        }
        if (in >= 0 && fds[1].revents != 0 && !relay(in, master, nullptr, {})) {
            in = -1; // the user's input ended; the command goes on until it exits
        }
    }
    ::close(master);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = decode_status(status);
    return result;
}

} // namespace

std::optional<PtySpec> resized(const PtySpec& pty) {
    winsize size{};
    if (pty.size_fd < 0 || ::ioctl(pty.size_fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0 ||
        size.ws_row == 0 || (size.ws_col == pty.cols && size.ws_row == pty.rows)) {
        return std::nullopt;
    }
    PtySpec out = pty;
    out.cols = size.ws_col;
    out.rows = size.ws_row;
    return out;
}

ProcessResult PosixProcessRunner::run(const ProcessSpec& spec, const OutputFn& on_output) {
    if (spec.argv.empty()) {
        fail("cannot run an empty command");
    }
    if (spec.pty) {
        ProcessSpec with_term = spec;
        with_term.env["TERM"] = spec.pty->term;
        std::vector<std::string> argv_s = spec.argv;
        std::vector<std::string> env_s = build_env(with_term);
        std::vector<char*> argv = c_strings(argv_s);
        std::vector<char*> envp = c_strings(env_s);
        return run_on_pty(spec, on_output, argv, envp);
    }
    std::vector<std::string> argv_s = spec.argv;
    std::vector<std::string> env_s = build_env(spec);
    std::vector<char*> argv = c_strings(argv_s);
    std::vector<char*> envp = c_strings(env_s);
    Pipe in, out, err;
    pid_t pid = ::fork();
    if (pid < 0) {
        fail("starting {}: {}", spec.argv[0], std::strerror(errno));
    }
    if (pid == 0) {
        exec_child(spec, in, out, err, argv, envp);
    }
    in.close_end(0);
    out.close_end(1);
    err.close_end(1);

    ProcessResult result;
    std::string_view pending_in = spec.stdin_data;
    if (pending_in.empty()) {
        in.close_end(1);
    } else {
        ::fcntl(in.fd[1], F_SETFL, O_NONBLOCK);
    }
    auto deadline = std::chrono::steady_clock::now() + spec.timeout;
    char buf[65536];
    while (out.fd[0] >= 0 || err.fd[0] >= 0) {
        pollfd fds[3] = {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}, {in.fd[1], POLLOUT, 0}};
        int wait_ms = -1;
        if (spec.timeout.count() > 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                result.timed_out = true;
                ::kill(-pid, SIGKILL);
                break;
            }
            wait_ms = static_cast<int>(left.count());
        }
        if (spec.cancel) {
            if (spec.cancel->requested()) {
                result.cancelled = true;
                ::kill(-pid, SIGKILL);
                break;
            }
            wait_ms = wait_ms < 0 ? k_cancel_poll_ms : std::min(wait_ms, k_cancel_poll_ms);
        }
        int n = ::poll(fds, 3, wait_ms);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (fds[2].revents != 0) {
            ssize_t w = ::write(in.fd[1], pending_in.data(), pending_in.size());
            if (w > 0) {
                pending_in.remove_prefix(static_cast<size_t>(w));
            }
            if (w < 0 || pending_in.empty()) {
                in.close_end(1);
            }
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            Pipe& p = i == 0 ? out : err;
            ssize_t r = ::read(p.fd[0], buf, sizeof buf);
            if (r <= 0) {
                p.close_end(0);
                continue;
            }
            std::string_view chunk(buf, static_cast<size_t>(r));
            (i == 0 ? result.out : result.err).append(chunk);
            if (on_output) {
                on_output(i == 0 ? Stream::out : Stream::err, chunk);
            }
        }
    }
    in.close_end(1);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = decode_status(status);
    return result;
}

std::string shell_quote(std::string_view word) {
    if (word.empty()) {
        return "''";
    }
    bool plain = true;
    for (char c : word) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) ||
              std::strchr("_./:=@%+,-", c) != nullptr)) {
            plain = false;
        }
    }
    if (plain) {
        return std::string(word);
    }
    std::string out = "'";
    for (char c : word) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

std::string shell_join(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& w : argv) {
        if (!out.empty()) {
            out += ' ';
        }
        out += shell_quote(w);
    }
    return out;
}

std::optional<std::filesystem::path> find_executable(std::string_view name) {
    const char* path =
        std::getenv("PATH"); // NOLINT(concurrency-mt-unsafe): PATH lookup mirrors execvp
    std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
    while (!rest.empty()) {
        auto colon = rest.find(':');
        std::filesystem::path dir(rest.substr(0, colon));
        auto candidate = dir / name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    }
    return std::nullopt;
}

} // namespace wm
