#pragma once
// `wm logs`: the logs of every instance of an environment on every server, merged in time
// order, with the environment's events (deploy steps, release output, one-off runs).

#include <wm/ops/env.hpp>
#include <wm/ops/plan.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace wm::ops {

/// What `wm logs` reads.
struct LogsRequest {
    std::string service;                 ///< "": every service and the events
    std::chrono::seconds since{60};      ///< the window before now (the original's minute)
    bool follow = false;                 ///< keep polling for newer lines until cancelled
    std::chrono::milliseconds poll{500}; ///< between two reads of a server when following
};

/// Receives the lines in time order (when following: in time order within each poll).
using LogSink = std::function<void(const rack::LogLine&)>;

/// Reads the logs of the plan's stacks (one stack when the plan has one, else all) on every
/// server in parallel and passes them to `sink`, merged in time order. With `follow`, polls the
/// servers again every `poll` (instances of later deploys included) until env.cancel is
/// requested, then throws interrupted_error(). A server that cannot be reached or read is
/// warned about and left out; returns those servers' errors (empty: all answered).
std::vector<Error> read_logs(const DeployPlan& plan, Env& env, const LogsRequest& request,
                             const LogSink& sink);

/// Where a following read resumes on one server: lines stamped before `ts`, and those at `ts`
/// already passed on, are dropped.
struct LogCursor {
    std::string ts;                 ///< stamp of the newest line passed on
    std::vector<std::string> at_ts; ///< those lines (dir-independent key: service, instance, line)

    /// The lines of `batch` not seen yet; advances the cursor past them.
    std::vector<rack::LogLine> advance(const std::vector<rack::LogLine>& batch);
};

/// "2026-11-30T21:48:49.21102Z web v3.1 wmt2 | text" (events: "deploy v3 wmt2 | started ...").
std::string format_log_line(const rack::LogLine& line);
/// The --json form: {ts, server, stack, service, instance, line}, ts in RFC 3339.
nlohmann::json log_line_json(const rack::LogLine& line);

} // namespace wm::ops
