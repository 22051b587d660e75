#pragma once
// Renders lib's events for people (stderr, colour on a TTY) or as NDJSON (stdout) for scripts.

#include <wm/base/reporter.hpp>

#include <chrono>
#include <mutex>

namespace wm::cli {

/// Human output on stderr: "==> step", "    server: line", warnings in yellow. With -v every
/// step line starts with the seconds since the command started ("[  1.234s] ==> ..."), so the
/// time each step took is the difference of two lines; "timing" events (each step's seconds and
/// round trips, per server and in total) are printed with -v only.
class TerminalReporter : public Reporter {
  public:
    TerminalReporter(bool color, bool quiet, int verbose);
    void report(const Event& event) override;

  private:
    std::string paint(const char* code, const std::string& text) const;
    bool m_color;
    bool m_quiet;
    int m_verbose;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::mutex m_mutex;
};

/// One JSON object per line on stdout: {"event":"step","message":...,"server":...,
/// "ts":"2026-11-30T19:31:02.123Z","elapsed_ms":1234,...}: `ts` is the UTC wall time of the
/// event (RFC 3339, milliseconds), `elapsed_ms` the milliseconds since the command started
/// (monotonic clock).
class JsonLinesReporter : public Reporter {
  public:
    void report(const Event& event) override;

  private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::mutex m_mutex;
};

} // namespace wm::cli
