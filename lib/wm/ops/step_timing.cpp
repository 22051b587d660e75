#include <wm/ops/step_timing.hpp>

#include <fmt/format.h>

namespace wm::ops {

double seconds_between(std::chrono::system_clock::time_point from,
                       std::chrono::system_clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

Event timing_event(const StepTime& t) {
    // Milliseconds are what a person compares; the data keeps them exact to the millisecond.
    double seconds = static_cast<double>(static_cast<long long>(t.seconds * 1000 + 0.5)) / 1000;
    std::string what = fmt::format("{:.3f} s, {} round trip{}", seconds, t.round_trips,
                                   t.round_trips == 1 ? "" : "s");
    nlohmann::json data{
        {t.phase ? "phase" : "step", t.step}, {"seconds", seconds}, {"round_trips", t.round_trips}};
    std::string message = t.phase ? "took " + what : t.step + ": " + what;
    if (t.servers > 0) {
        data["servers"] = t.servers;
        message += fmt::format(" on {} server{}", t.servers, t.servers == 1 ? "" : "s");
    }
    if (t.failed) {
        data["failed"] = true;
        message += " (failed)";
    }
    return {"timing", message, t.server, data};
}

PhaseTimer::~PhaseTimer() {
    try {
        finish();
    } catch (...) { // NOLINT(bugprone-empty-catch): a destructor reports what it can
    }
}

void PhaseTimer::report(const Event& event) {
    std::lock_guard lock(m_mutex);
    if (event.kind == "step") {
        end_phase();
        m_phase = event.message;
        m_start = m_clock.now();
        m_round_trips_at_start = m_round_trips ? m_round_trips() : 0;
    }
    m_inner.report(event);
}

PhaseTimer::Counting PhaseTimer::count_round_trips(std::function<long()> total) {
    std::lock_guard lock(m_mutex);
    m_round_trips = std::move(total);
    m_round_trips_at_start = 0; // every round trip so far happened in the running phase
    return Counting(*this);
}

void PhaseTimer::stop_counting() {
    try {
        std::lock_guard lock(m_mutex);
        end_phase();
        m_round_trips = nullptr;
    } catch (...) { // NOLINT(bugprone-empty-catch): runs in a destructor
    }
}

void PhaseTimer::finish() {
    std::lock_guard lock(m_mutex);
    end_phase();
}

void PhaseTimer::end_phase() {
    if (m_phase.empty()) {
        return;
    }
    long round_trips = (m_round_trips ? m_round_trips() : 0) - m_round_trips_at_start;
    StepTime t{m_phase, "", seconds_between(m_start, m_clock.now()), round_trips, 0, true, false};
    m_phase.clear();
    m_inner.report(timing_event(t));
}

} // namespace wm::ops
