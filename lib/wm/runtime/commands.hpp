#pragma once
// Pure builders of the shell commands ServerOps runs on a server, and parsers of their output.
// Paths are quoted with shell_quote; no value passed here is secret.

#include <string>
#include <utility>
#include <vector>

namespace wm::runtime {

/// Restarts after which a health check gives up on an instance at once (it crashes at start).
inline constexpr int k_crash_restarts = 3;

/// A web instance to check: runit name, port and service dir, and where it listens.
struct WebTarget {
    std::string name;
    int port = 0;
    std::string dir;
    std::string host = "127.0.0.1"; ///< the address it is reached at (its namespace's)
    std::string netns_path{};       ///< its network namespace (for `ss`); empty: the server's
};

/// Polls http://<host>:<port><path> of every target until each answers 2xx or `timeout_s`
/// passes; an empty `path` polls "/" and accepts any answer below 500 (the default rule).
/// Prints one line per target: "<name> ok <code>", or "<name> fail <why>" where why is
/// "crashed <restarts>" (restarted k_crash_restarts times: given up at once), "closed <ports>"
/// (nothing accepted connections on the port; the ports its processes listen on instead,
/// space-separated, maybe none), "answered <code>" (a status the rule refuses) or
/// "error <curl's message>"; exits 1 if any failed.
std::string web_health_script(const std::vector<WebTarget>& targets, const std::string& path,
                              int timeout_s);

/// A worker to check: runit name and service dir.
struct WorkerTarget {
    std::string name;
    std::string dir;
    int min_up_s = 10; ///< seconds it must run without restarting (manifest health.uptime)
};

/// Polls `sv status` of every target until it has run for >= its `min_up_s` seconds (so it is
/// not restarting), it restarted k_crash_restarts times, or `timeout_s` passes. Prints
/// "<name> ok up <N>s", "<name> fail crashed <restarts>" or "<name> fail down <sv status>".
std::string worker_health_script(const std::vector<WorkerTarget>& targets, int timeout_s);

/// The state of one runit service as printed by the first part of `sv status`.
struct SvStatus {
    std::string state; ///< "run", "down", "finish"; "starting" when runsv is not there yet
    int pid = 0;
    int seconds = 0;
};

/// Parses one `sv status` line ("run: /x: (pid 12) 5s; run: log: (pid 9) 5s").
SvStatus parse_sv_status(const std::string& line);

/// Prints one line per instance dir under `service_dir` (dot-dirs and dirs without
/// instance.json skipped): "<name>\t<instance.json on one line>\t<starts>\t<sv status>".
std::string list_instances_script(const std::string& service_dir);

/// Prints the TCP ports listening on this server, one per line.
std::string listening_ports_command();

/// Prints "<port> <pid> <command line>" for every process listening on one of `ports` whose
/// command line does not contain `allowed` (our own proxy's Caddyfile path). Caddy listens with
/// SO_REUSEPORT, so a second proxy on the same port would silently share its traffic.
std::string foreign_listeners_command(const std::vector<int>& ports, const std::string& allowed);

/// Picks `count` ports in [min, max] not in `used`, scanning upward from `start` and wrapping
/// (callers pass a random start so concurrent deploys rarely collide). Throws Error when the
/// range is exhausted.
std::vector<int> pick_ports(const std::vector<int>& used, int count, int min, int max, int start);

/// Takes a server-side mutex by creating directory `dir` (mkdir is atomic), waiting up to
/// `wait_s` seconds; a mutex older than `stale_s` seconds (its holder died mid-step) is broken.
/// Exits 1 with "busy: <dir>" if it cannot.
std::string mutex_acquire_command(const std::string& dir, int wait_s, int stale_s = 30);

/// Releases the mutex taken by mutex_acquire_command.
std::string mutex_release_command(const std::string& dir);

/// Stops the runit services `names` and removes them: waits up to `wait_s` for all to go down
/// (together), moves it to a dot-name (runsvdir ignores those), makes runsv exit, then deletes it.
std::string stop_services_command(const std::string& service_dir,
                                  const std::vector<std::string>& names, int wait_s);

} // namespace wm::runtime
