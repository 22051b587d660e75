#pragma once
// Where a command's time goes: how long each step took, on each server and over the fleet, and
// how many round trips it made, as "timing" events (printed with -v; in --json each event also
// carries its timestamp).

#include <wm/base/clock.hpp>
#include <wm/base/reporter.hpp>

#include <functional>
#include <mutex>
#include <string>

namespace wm::ops {

/// One measured step.
struct StepTime {
    std::string step;   ///< a fleet step ("upload", "health") or a phase (its "==>" line)
    std::string server; ///< the server it ran on; empty: over every selected server, or a phase
    double seconds = 0;
    long round_trips = 0; ///< requests answered by the server(s) meanwhile (Server::round_trips)
    int servers = 0;      ///< a fleet step's total: how many servers ran it
    bool phase = false;   ///< a numbered phase of the command, from one "step" event to the next
    bool failed = false;  ///< the step threw on this server
};

/// The "timing" event of `t`: server = t.server; message "upload: 0.125 s, 4 round trips"
/// (a fleet total adds " on 3 servers", a failure " (failed)"; a phase reads
/// "took 1.500 s, 12 round trips"); data {"step" or "phase": name, "seconds": 0.125,
/// "round_trips": 4} plus "servers" for a fleet total and "failed": true for a failure.
Event timing_event(const StepTime& t);

/// Seconds from `from` to `to` (negative when the clock went back).
double seconds_between(std::chrono::system_clock::time_point from,
                       std::chrono::system_clock::time_point to);

/// Forwards every event to `inner` and times the phases of a command: a "step" event ends the
/// phase before it (its timing event is reported first) and starts the next; finish() (or the
/// destructor) ends the last. Thread-safe, like every Reporter.
class PhaseTimer : public Reporter {
  public:
    PhaseTimer(Reporter& inner, Clock& clock) : m_inner(inner), m_clock(clock) {}
    PhaseTimer(const PhaseTimer&) = delete;
    PhaseTimer& operator=(const PhaseTimer&) = delete;
    ~PhaseTimer() override;

    void report(const Event& event) override;

    /// Ends the running phase and stops counting round trips when it goes.
    class Counting {
      public:
        explicit Counting(PhaseTimer& timer) : m_timer(timer) {}
        Counting(const Counting&) = delete;
        Counting& operator=(const Counting&) = delete;
        ~Counting() { m_timer.stop_counting(); }

      private:
        PhaseTimer& m_timer;
    };
    /// Where phase round trips come from until the returned guard goes (e.g.
    /// Fleet::round_trips while the fleet is connected): a phase counts the difference between
    /// its end and its start (or this call). The guard ends the running phase before `total`'s
    /// source may go.
    [[nodiscard]] Counting count_round_trips(std::function<long()> total);
    /// Reports the running phase's timing; later events start no phase until the next step.
    void finish();

  private:
    void stop_counting();
    void end_phase(); // m_mutex held

    Reporter& m_inner;
    Clock& m_clock;
    std::mutex m_mutex;
    std::string m_phase; ///< empty: none running
    std::chrono::system_clock::time_point m_start;
    long m_round_trips_at_start = 0;
    std::function<long()> m_round_trips;
};

} // namespace wm::ops
