#pragma once
// Time behind an interface so records and timeouts are deterministic in tests.

#include <chrono>
#include <string>
#include <thread>

namespace wm {

/// Wall-clock time and sleeping.
class Clock {
  public:
    virtual ~Clock() = default;
    /// The current wall-clock time.
    virtual std::chrono::system_clock::time_point now() const = 0;
    /// Waits `d` (a fake clock advances instead).
    virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

/// The real clock.
class SystemClock : public Clock {
  public:
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now();
    }
    void sleep_for(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

/// RFC 3339 UTC timestamp with seconds: 2026-11-26T16:39:22Z.
std::string format_utc(std::chrono::system_clock::time_point t);

} // namespace wm
