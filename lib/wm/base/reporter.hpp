#pragma once
// Progress and messages leave lib/ only through a Reporter; cli/ renders them for a terminal
// or as NDJSON events (--json).

#include <nlohmann/json.hpp>

#include <mutex>
#include <string>
#include <vector>

namespace wm {

/// One thing worth telling the user. `kind` is one of: "step" (a numbered stage begins),
/// "info", "warn", "output" (a line printed by a build or remote command), "progress"
/// (per-server state), "done" (a stage finished), "timing" (how long a step took and its round
/// trips; data per ops/step_timing.hpp). `server` is empty when not about one server.
struct Event {
    std::string kind;
    std::string message;
    std::string server;
    nlohmann::json data = nlohmann::json::object(); ///< fields of the kind (a timing's seconds)
};

/// Receives events; implementations must be thread-safe (fan-out reports from many threads).
class Reporter {
  public:
    virtual ~Reporter() = default;
    /// Takes one event; may be called from several threads at once.
    virtual void report(const Event& event) = 0;

    /// Reports a "step" event: a numbered stage begins.
    void step(std::string message) { report({"step", std::move(message), {}, {}}); }
    /// Reports an "info" event, about `server` when one is named.
    void info(std::string message, std::string server = {}) {
        report({"info", std::move(message), std::move(server), {}});
    }
    /// Reports a "warn" event: something failed that the command goes on without.
    void warn(std::string message, std::string server = {}) {
        report({"warn", std::move(message), std::move(server), {}});
    }
    /// Reports one line a build or remote command printed.
    void output(std::string line, std::string server = {}) {
        report({"output", std::move(line), std::move(server), {}});
    }
    /// Reports `server`'s state in the current stage ("v3 staged", ...).
    void progress(std::string server, std::string state) {
        report({"progress", std::move(state), std::move(server), {}});
    }
};

/// Drops everything.
class NullReporter : public Reporter {
  public:
    void report(const Event&) override {}
};

/// Keeps every event (tests, and stored deployment output).
class CaptureReporter : public Reporter {
  public:
    void report(const Event& event) override {
        std::lock_guard lock(m_mutex);
        m_events.push_back(event);
    }
    /// A copy of the events reported so far, in order.
    std::vector<Event> events() const {
        std::lock_guard lock(m_mutex);
        return m_events;
    }

  private:
    mutable std::mutex m_mutex;
    std::vector<Event> m_events;
};

/// Forwards every event to two reporters (e.g. the terminal and a deployment log).
class TeeReporter : public Reporter {
  public:
    /// Reports to `a`, then `b`; both must outlive this reporter.
    TeeReporter(Reporter& a, Reporter& b) : m_a(a), m_b(b) {}
    void report(const Event& event) override {
        m_a.report(event);
        m_b.report(event);
    }

  private:
    Reporter& m_a;
    Reporter& m_b;
};

} // namespace wm
