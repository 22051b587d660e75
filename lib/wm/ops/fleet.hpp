#pragma once
// The connected servers of one use case, and running a step on many of them at once.

#include <wm/base/error.hpp>
#include <wm/ops/env.hpp>
#include <wm/ops/server.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wm::ops {

/// Connected servers, in plan order.
class Fleet {
  public:
    /// Connects to every server in parallel (bounded by env.parallelism). Throws the first
    /// server's Error (plan order) after all attempts finished.
    static Fleet connect(const std::vector<PlannedServer>& servers, Env& env);
    /// Wraps already connected servers (tests).
    Fleet(std::vector<std::unique_ptr<Server>> servers, int parallelism);

    /// From now on every step below reports its timing (step_timing.hpp) to `reporter`, timed
    /// with `clock`: one "timing" event per server it ran on, then one for the step over all of
    /// them. connect() does this with the Env's reporter and clock.
    void time_steps(Reporter& reporter, Clock& clock);
    /// Round trips of every server so far (Server::round_trips).
    long round_trips() const;

    /// Runs `fn` on each server whose name is in `names` (all when empty) in parallel and waits
    /// for all. Throws the first failure in plan order, naming its server and step.
    void each(const std::string& step, const std::function<void(Server&)>& fn,
              const std::vector<std::string>& names = {});
    /// Like each(), but returns every server's error message (empty string: ok) instead of
    /// throwing; for steps that must reach all servers (releasing a lease, stopping).
    std::vector<std::string> each_collect(const std::string& step,
                                          const std::function<void(Server&)>& fn,
                                          const std::vector<std::string>& names = {});

    /// Like each(), but returns each selected server's outcome by name (nullopt: ok), for steps
    /// whose partial success matters (the proxy switch).
    std::map<std::string, std::optional<Error>>
    each_outcome(const std::string& step, const std::function<void(Server&)>& fn,
                 const std::vector<std::string>& names = {});

    Server& at(const std::string& name);
    Server& first() { return *m_servers.front(); }
    std::vector<std::string> names() const;
    size_t size() const { return m_servers.size(); }

  private:
    /// Runs `fn` on the selected servers; each one's Error (or nullopt) names its server and
    /// step.
    std::vector<std::optional<Error>> run_on(const std::string& step,
                                             const std::function<void(Server&)>& fn,
                                             const std::vector<std::string>& names);

    std::vector<std::unique_ptr<Server>> m_servers;
    int m_parallelism;
    Reporter* m_reporter = nullptr; ///< where step timings go; nullptr: not timed
    Clock* m_clock = nullptr;
};

/// Warns `prefix` + each non-empty error of an each_collect() (each names its server and step).
void warn_each(Reporter& reporter, const std::string& prefix,
               const std::vector<std::string>& errors);

/// `e` naming `server` and `step`, where it does not name them already (the innermost wins).
Error at_server(const Error& e, const std::string& server, const std::string& step);

} // namespace wm::ops
