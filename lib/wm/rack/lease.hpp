#pragma once
// The deploy lease of an environment on one server (locks/<env>.lock): pure decisions and the
// stored form. ServerOps does the remote part (a mkdir mutex around read-decide-write).

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace wm::rack {

/// The deploy lease of an environment (stored in locks/<env>.lock on the server).
struct Lease {
    std::string holder; ///< user@control-host
    std::string control_host;
    int pid = 0;
    std::string started, expires; ///< RFC 3339 UTC
    std::string what;             ///< "deploy production web@abc1234"
};

/// Why a lease may or may not be taken.
enum class LeaseVerdict {
    free,        ///< no lease recorded
    ours,        ///< same holder, control host and pid: a renewal
    expired,     ///< `expires` has passed
    dead_holder, ///< held from our control host by a pid that no longer runs
    held,        ///< someone else holds it: refuse
};

/// Decides whether `mine` may replace `current` at `now`. `local_pid_alive` answers for pids
/// on this control host only (a holder on another host is trusted until it expires).
LeaseVerdict judge_lease(const std::optional<Lease>& current, const Lease& mine,
                         std::chrono::system_clock::time_point now,
                         const std::function<bool(int)>& local_pid_alive);

/// "held by alice@laptop (pid 4242) since 2026-11-26T16:00:00Z, expires ...: deploy ...".
std::string describe_lease(const Lease& lease);

nlohmann::json to_json(const Lease& lease);
/// Reads a lock file's content; throws Error naming `what` when malformed.
Lease lease_from_json(const std::string& text, const std::string& what);

/// Parses "YYYY-MM-DDTHH:MM:SSZ"; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_utc(const std::string& text);

/// kill(pid, 0) on this machine: true when the process exists (also when owned by another user).
bool local_pid_alive(int pid);

} // namespace wm::rack
