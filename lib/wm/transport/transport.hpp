#pragma once
// How wm talks to a server: run shell commands, move files. Implementations: LocalTransport
// (this machine, for the `local` rack) and SshTransport (libssh2). Nothing here knows about
// releases or manifests.

#include <wm/base/cancel.hpp>
#include <wm/base/process.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wm::transport {

/// Options of one remote command.
struct RunOptions {
    std::string stdin_data; ///< secrets travel here, never in the command text
    /// When >= 0 (and stdin_data is empty): what is read from this descriptor until its end is
    /// the command's stdin (`wm run` passes its own stdin on). Not closed here.
    int stdin_fd = -1;
    /// Set: the command runs on a pseudo-terminal of the server (an interactive console), fed
    /// from stdin_fd; its output is one stream.
    std::optional<PtySpec> pty;
    std::chrono::milliseconds timeout{0}; ///< 0: none
    OutputFn on_output;                   ///< streamed chunks, if set
    /// Polled while the command runs; once requested, wm stops waiting for it (locally the
    /// process group is killed) and the result is marked `cancelled`. nullptr: never.
    const Cancellation* cancel = nullptr;
    /// Once cancelled: a command run (on the same server, before waiting for this one to end)
    /// that stops it. Needed over SSH, where sshd keeps a channel open until its command has
    /// ended; locally the process group is killed anyway. Empty: none.
    std::string stop_command;
};

/// Outcome of one remote command.
struct RunResult {
    int exit_code = -1;
    bool timed_out = false;
    std::string out;
    std::string err;
    bool cancelled = false; ///< stopped waiting because options.cancel was requested
    bool ok() const { return exit_code == 0 && !timed_out && !cancelled; } ///< exited 0 in time
};

/// Upload progress: bytes sent so far out of total.
using ProgressFn = std::function<void(std::uint64_t sent, std::uint64_t total)>;

/// A connection to one server. Methods may be called from one thread at a time.
/// Failures to reach the server throw Error naming the server; a command exiting non-zero
/// is not an error (see RunResult).
class Transport {
  public:
    virtual ~Transport() = default;

    /// The server's display name for messages ("wmt1", "local").
    virtual std::string name() const = 0;
    /// Runs `command` with /bin/sh -c on the server.
    virtual RunResult run(const std::string& command, const RunOptions& options = {}) = 0;
    /// Copies a local file to `remote_path` (written to a temp name, then renamed).
    virtual void upload(const std::filesystem::path& local, const std::string& remote_path,
                        unsigned mode = 0644, const ProgressFn& progress = {}) = 0;
    /// Writes `data` to `remote_path` atomically with `mode` (0600 for secrets).
    virtual void write_file(const std::string& remote_path, std::string_view data,
                            unsigned mode = 0644) = 0;
    /// Reads a small file; throws Error if it does not exist.
    virtual std::string read_file(const std::string& remote_path) = 0;
};

/// "cannot connect to <address> port <port>: <why>" (why lower-case, e.g. "no route to host").
std::string unreachable_message(const std::string& address, int port, const std::string& why);

/// Runs `command` and throws Error (naming the server and `step`) unless it exits 0; the
/// error carries the last lines of stderr.
RunResult run_checked(Transport& t, const std::string& step, const std::string& command,
                      const RunOptions& options = {});

} // namespace wm::transport
