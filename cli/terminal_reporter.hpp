#pragma once
// Renders lib's events for people (stderr, colour on a TTY) or as NDJSON (stdout) for scripts.

#include <wm/base/reporter.hpp>

#include <mutex>

namespace wm::cli {

/// Human output on stderr: "==> step", "    server: line", warnings in yellow.
class TerminalReporter : public Reporter {
  public:
    TerminalReporter(bool color, bool quiet, int verbose);
    void report(const Event& event) override;

  private:
    std::string paint(const char* code, const std::string& text) const;
    bool m_color;
    bool m_quiet;
    int m_verbose;
    std::mutex m_mutex;
};

/// One JSON object per line on stdout: {"event":"step","message":...,"server":...,...}.
class JsonLinesReporter : public Reporter {
  public:
    void report(const Event& event) override;

  private:
    std::mutex m_mutex;
};

} // namespace wm::cli
