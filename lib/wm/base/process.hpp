#pragma once
// Running local processes behind a small interface, so orchestration can be tested with a fake.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wm {

class Cancellation;

/// Which stream a chunk of output came from.
enum class Stream { out, err };

/// Receives output as it arrives (chunks, not necessarily whole lines).
using OutputFn = std::function<void(Stream, std::string_view)>;

/// A pseudo-terminal for an interactive command (`wm run -i`): the command's stdin, stdout and
/// stderr are its one terminal, so its output comes as one stream (Stream::out).
struct PtySpec {
    std::string term = "xterm"; ///< $TERM for the command
    unsigned short cols = 80;   ///< the terminal's width, characters
    unsigned short rows = 24;   ///< its height, lines
    /// When >= 0: a terminal (wm's own) whose window size the pseudo-terminal follows while the
    /// command runs, checked every 100 ms, so a console sees its window resized.
    int size_fd = -1;
};

/// `pty` with the window size the terminal on its size_fd has now (TIOCGWINSZ, tty_ioctl(4));
/// nullopt when that is the size `pty` has, or it has no size_fd, or that is no terminal.
std::optional<PtySpec> resized(const PtySpec& pty);

/// What to run. The environment is the parent's plus `env` unless `clear_env` is set.
/// Secrets go in `env` or `stdin_data`, never in `argv` (argv is world-readable in /proc).
struct ProcessSpec {
    std::vector<std::string> argv;
    std::map<std::string, std::string> env;
    bool clear_env = false;
    std::filesystem::path cwd;
    std::string stdin_data;
    /// When >= 0 (and stdin_data is empty): the child reads this descriptor as its stdin
    /// (`wm run` passes its own stdin on), instead of a pipe.
    int stdin_fd = -1;
    /// Set: the process runs on a new pseudo-terminal (its controlling terminal, in a session
    /// of its own) fed from stdin_fd; stdin_data and timeout are not used.
    std::optional<PtySpec> pty;
    std::chrono::milliseconds timeout{0}; ///< 0: no timeout
    /// Polled every 100 ms while the process runs; once requested, the process group is killed
    /// and the result marked `cancelled`. nullptr: never.
    const Cancellation* cancel = nullptr;
};

/// How a process ended and what it printed (unless the caller streamed it elsewhere).
struct ProcessResult {
    int exit_code = -1; ///< 128+signal when killed by a signal
    bool timed_out = false;
    std::string out;
    std::string err;
    bool cancelled = false; ///< killed because spec.cancel was requested
};

/// Runs local processes.
class ProcessRunner {
  public:
    virtual ~ProcessRunner() = default;
    /// Runs `spec` to completion; output is captured and also passed to `on_output` if set.
    /// Throws Error only when the process cannot be started.
    virtual ProcessResult run(const ProcessSpec& spec, const OutputFn& on_output = {}) = 0;
};

/// The real runner: fork/exec with pipes and poll.
class PosixProcessRunner : public ProcessRunner {
  public:
    ProcessResult run(const ProcessSpec& spec, const OutputFn& on_output = {}) override;
};

/// Quotes one word for POSIX sh: 'it'\''s'. Plain words ([A-Za-z0-9_./:=@%+,-]) stay unquoted.
std::string shell_quote(std::string_view word);
/// Joins words into one sh command line, quoting each.
std::string shell_join(const std::vector<std::string>& argv);

/// Finds an executable on PATH (or nullopt).
std::optional<std::filesystem::path> find_executable(std::string_view name);

} // namespace wm
