#include "terminal_reporter.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

namespace wm::cli {

namespace {

using std::chrono::steady_clock;

double seconds_since(steady_clock::time_point start) {
    return std::chrono::duration<double>(steady_clock::now() - start).count();
}

/// The UTC wall time now as RFC 3339 with milliseconds ("2026-11-30T19:31:02.123Z").
std::string utc_timestamp() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z",
                       std::chrono::floor<std::chrono::seconds>(now), ms.count() % 1000);
}

} // namespace

TerminalReporter::TerminalReporter(bool color, bool quiet, int verbose)
    : m_color(color), m_quiet(quiet), m_verbose(verbose) {}

std::string TerminalReporter::paint(const char* code, const std::string& text) const {
    return m_color ? fmt::format("\033[{}m{}\033[0m", code, text) : text;
}

void TerminalReporter::report(const Event& e) {
    std::string line;
    std::string who = e.server.empty() ? "" : e.server + ": ";
    if (e.kind == "warn") {
        line = paint("33", "warning: ") + who + e.message;
    } else if (m_quiet) {
        return;
    } else if (e.kind == "step") {
        line = paint("1;34", "==> ") + paint("1", e.message);
        if (m_verbose > 0) {
            line = paint("2", fmt::format("[{:7.3f}s] ", seconds_since(m_start))) + line;
        }
    } else if (e.kind == "output") {
        line = "    " + (e.server.empty() ? "" : paint("2", who)) + e.message;
    } else if (e.kind == "progress" || e.kind == "done") {
        line = "    " + paint("36", who) + e.message;
    } else if (e.kind == "timing") { // where the time went (step_timing.hpp): with -v only
        if (m_verbose == 0) {
            return;
        }
        line = "    " + paint("2", who + e.message);
    } else if (e.kind == "debug") {
        if (m_verbose == 0) {
            return;
        }
        line = paint("2", who + e.message);
    } else {
        line = "    " + who + e.message;
    }
    std::lock_guard lock(m_mutex);
    std::fprintf(stderr, "%s\n", line.c_str());
}

void JsonLinesReporter::report(const Event& e) {
    nlohmann::json j = e.data.is_object() ? e.data : nlohmann::json::object();
    j["event"] = e.kind;
    j["message"] = e.message;
    if (!e.server.empty()) {
        j["server"] = e.server;
    }
    j["ts"] = utc_timestamp();
    j["elapsed_ms"] = static_cast<long long>(seconds_since(m_start) * 1000);
    std::string text = j.dump() + "\n";
    std::lock_guard lock(m_mutex);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

} // namespace wm::cli
