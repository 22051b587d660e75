#pragma once
// An app env's logs on one server, as pure builders and parsers: reading the svlogd dirs of its
// instances (logs/<app>.<env>.<stack>.<service>.v<N>.<i>/) and its event log
// (logs/<app>.<env>/: deploy steps, release output, one-off runs), bounding what svlogd keeps,
// and merging the lines of several servers in time order. Tested by exact text.

#include <wm/rack/layout.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wm::rack {

/// One line of an app env's logs as `wm logs` shows it.
struct LogLine {
    std::string ts;       ///< svlogd -tt UTC stamp "2026-11-30_21:48:49.21102" (sorts as text)
    std::string server;   ///< the server's display name
    std::string stack;    ///< "" for an event about no stack in particular
    std::string service;  ///< "web", "worker"; events: "deploy", "release", "run"
    std::string instance; ///< "v3.1" (release and index); events: the version or run id
    std::string line;     ///< the text, without its stamp
};

/// Which lines to read from one server.
struct LogQuery {
    AppEnv app_env;
    std::string stack;   ///< "": every stack
    std::string service; ///< "": every service and the event log; else that service only
    std::chrono::system_clock::time_point since; ///< the oldest line wanted
};

/// Retention of the logs of one app env per server (the original product's figures).
inline constexpr std::uint64_t k_log_budget_bytes = 500ull * 1000 * 1000;
inline constexpr int k_log_keep_minutes = 60;

/// svlogd's -tt stamp of `t`: "YYYY-MM-DD_HH:MM:SS.xxxxx" (UTC, 10 µs), comparable as text.
std::string log_stamp(std::chrono::system_clock::time_point t);
/// The instant of a log_stamp() text (10 µs precision); nullopt when it is not one.
std::optional<std::chrono::system_clock::time_point> parse_log_stamp(const std::string& stamp);

/// Prints every line of the query's log dirs stamped at or after query.since, oldest file
/// first, each as "<log dir name> <line>"; files last written more than a second before it
/// are not read. Exits 0 when there are no logs.
std::string read_logs_command(const Layout& l, const LogQuery& query);

/// The lines of read_logs_command's output for `server`, in the order printed; lines of dirs
/// that are neither an instance nor the event log are skipped, and so are event lines of
/// another stack than query.stack (events of the whole app env, stack "-", are kept).
std::vector<LogLine> parse_log_output(const std::string& out, const std::string& server,
                                      const LogQuery& query);

/// All lines of several servers in time order (stable: a server's own order is kept on ties).
std::vector<LogLine> merge_logs(const std::vector<std::vector<LogLine>>& per_server);

/// Appends the lines on stdin (each "<stack or -> <service> <instance> <text>") to the app env's
/// event log, stamped with the server's clock as svlogd would, creating the dir (0750, `gid`'s
/// when > 0); the log is rotated to `previous` beyond k_log_budget_bytes / 50.
std::string append_events_command(const Layout& l, const AppEnv& ae, int gid);

/// One stdin line of append_events_command (newlines in `text` become spaces).
std::string event_line(const std::string& stack, const std::string& service,
                       const std::string& instance, const std::string& text);

/// svlogd's config for one of `instances` instances of an app env on a server: rotate every
/// 10 minutes and keep 6 old files (about an hour), each at most an equal share of
/// k_log_budget_bytes (at least 1 MB).
std::string log_retention_config(int instances);

/// Removes the log dirs of the app env's instances that no longer have a service dir and
/// wrote nothing in k_log_keep_minutes, and an event log `previous` older than that.
std::string prune_logs_command(const Layout& l, const AppEnv& ae);

/// The runit `finish` script of an instance: says in its log how the process ended (runsv
/// passes the exit code, or -1 and the signal), before runit restarts or stops it.
std::string render_finish_script();

} // namespace wm::rack
