#pragma once
// The composition root: global flags, environment variables and the real implementations of
// lib's interfaces are resolved here once and handed to commands.

#include "interrupt.hpp"

#include <wm/base/clock.hpp>
#include <wm/base/process.hpp>
#include <wm/base/reporter.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace wm::cli {

/// Flags every command accepts.
struct GlobalOptions {
    std::string state_dir; ///< --state-dir; else $WM_HOME; else ~/.widemesh
    bool json = false;     ///< machine output: a JSON document, or NDJSON events for long commands
    bool quiet = false;
    int verbose = 0;
};

/// Services and terminal facts shared by all commands of one invocation.
class Context {
  public:
    Context();

    GlobalOptions options;
    /// What wm exits with when the command returns normally (wm run: its command's code).
    int exit_status = 0;

    /// The state directory (not created here: read-only commands must not create it).
    std::filesystem::path state_dir() const;
    /// The manifest path from -f, else widemesh.yaml in the current directory.
    std::filesystem::path manifest_path(const std::string& flag) const;
    /// Reporter for progress: a terminal renderer, or NDJSON on stdout with --json.
    Reporter& reporter();
    ProcessRunner& runner() { return m_runner; }
    Clock& clock() { return m_clock; }
    /// Set by SIGINT/SIGTERM (see interrupt.hpp); lib polls it during long waits.
    const Cancellation& cancellation() const { return m_interrupt; }

    bool stdin_is_tty() const { return m_stdin_tty; }
    bool stdout_is_tty() const { return m_stdout_tty; }
    /// Colour only on a TTY, never with NO_COLOR or --json.
    bool color() const;

    /// Prints a JSON document on stdout (one line).
    void print_json(const nlohmann::json& doc) const;
    /// Prints text on stdout unless --quiet.
    void print(std::string_view text) const;
    /// Reads an environment variable (the only place cli/ reads the environment).
    static std::string env(const char* name);

  private:
    PosixProcessRunner m_runner;
    SystemClock m_clock;
    InterruptFlag m_interrupt;
    std::unique_ptr<Reporter> m_reporter;
    bool m_stdin_tty = false;
    bool m_stdout_tty = false;
    bool m_stderr_tty = false;
};

} // namespace wm::cli
