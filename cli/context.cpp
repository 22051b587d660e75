#include "context.hpp"
#include "terminal_reporter.hpp"

#include <cstdio>
#include <cstdlib>

#include <unistd.h>

namespace wm::cli {

Context::Context()
    : m_stdin_tty(::isatty(0) != 0), m_stdout_tty(::isatty(1) != 0),
      m_stderr_tty(::isatty(2) != 0) {}

std::string Context::env(const char* name) {
    const char* v = std::getenv(name); // NOLINT(concurrency-mt-unsafe): read before threads start
    return v != nullptr ? v : "";
}

std::filesystem::path Context::state_dir() const {
    if (!options.state_dir.empty()) {
        return std::filesystem::absolute(options.state_dir);
    }
    if (std::string home = env("WM_HOME"); !home.empty()) {
        return std::filesystem::absolute(home);
    }
    return std::filesystem::path(env("HOME")) / ".widemesh";
}

std::filesystem::path Context::manifest_path(const std::string& flag) const {
    return flag.empty() ? std::filesystem::path("widemesh.yaml") : std::filesystem::path(flag);
}

bool Context::color() const {
    return m_stderr_tty && !options.json && env("NO_COLOR").empty() && env("TERM") != "dumb";
}

Reporter& Context::reporter() {
    if (!m_reporter) {
        if (options.json) {
            m_reporter = std::make_unique<JsonLinesReporter>();
        } else {
            m_reporter =
                std::make_unique<TerminalReporter>(color(), options.quiet, options.verbose);
        }
    }
    return *m_reporter;
}

void Context::print_json(const nlohmann::json& doc) const {
    std::string text = doc.dump() + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

void Context::print(std::string_view text) const {
    if (options.quiet) {
        return;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

} // namespace wm::cli
