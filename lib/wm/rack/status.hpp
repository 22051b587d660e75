#pragma once
// `wm rack status`: what each server of a rack looks like, from one probe command per server.

#include <wm/manifest/manifest.hpp>
#include <wm/rack/fanout.hpp>
#include <wm/rack/layout.hpp>
#include <wm/transport/factory.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wm::rack {

/// One stack of an app env a server holds (a directory apps/<app>/<env>/<stack>).
struct ServedStack {
    AppEnv app_env;
    std::string stack;
    int version = -1; ///< its newest stored deployment record v<N>; -1: none recorded
};

/// One server's state as `wm rack status` shows it.
struct ServerStatus {
    std::string server;
    bool reachable = false;
    std::string reason; ///< why not reachable
    double rtt_ms = 0;  ///< one `true` round trip over the open connection
    std::string os;     ///< PRETTY_NAME of /etc/os-release
    std::optional<std::uint64_t> disk_free_bytes; ///< on the filesystem of the layout root
    bool runit = false;
    bool caddy = false;
    bool bwrap = false;
    std::string layout_version;        ///< <root>/VERSION; empty: not bootstrapped
    std::optional<int> supervisor_pid; ///< the runsvdir over the layout; nullopt: not running
    int services = 0;                  ///< service dirs it supervises (instances + proxy)
    std::vector<ServedStack> served;   ///< what the server holds, by app, env, stack
};

/// The probe: prints key=value lines (os, disk_free_kb, runit, caddy, bwrap, layout, one
/// "served=<app> <env> <stack> <N or ->" per stack directory of the layout, supervisor,
/// services).
std::string status_command(const Layout& layout);

/// Reads the probe's output into `status` (unknown keys are ignored; `served` sorted).
void parse_status(const std::string& output, ServerStatus& status);

/// Probes one connected server.
ServerStatus probe_status(transport::Transport& t, const Layout& layout);

/// Probes every server of `rack` in parallel; unreachable servers carry the reason.
std::vector<ServerStatus> rack_status(const manifest::RackSpec& rack, const Layout& layout,
                                      const transport::SshOptions& ssh, Reporter& reporter,
                                      const FanOutOptions& options = {});

/// The --json form of one server's status.
nlohmann::json to_json(const ServerStatus& s);

/// Human-readable: one line per server, then one "  serves <app>/<env> (<stack> v<N>, ...)"
/// line per app env it holds ("  serves no app yet" when none).
std::string render_status(const std::vector<ServerStatus>& servers);

} // namespace wm::rack
