#pragma once
// `wm rack bootstrap`: idempotent preparation of a server. One generated script per server does
// every check-then-change step and prints "changed: <what>" for each change it made, so a
// second run prints nothing and changes nothing.

#include <wm/manifest/manifest.hpp>
#include <wm/rack/fanout.hpp>
#include <wm/rack/layout.hpp>
#include <wm/transport/factory.hpp>

#include <string>
#include <vector>

namespace wm::rack {

/// The layout version bootstrap writes to <root>/VERSION. 2: keyed by app and environment
/// (apps/<app>/<env>/...); servers of layout 1 (envs/<env>/...) are not migrated.
inline constexpr int k_layout_version = 2;

/// What the bootstrap script does on one kind of server.
struct BootstrapTarget {
    Layout layout;
    bool install_packages = true; ///< false on the local rack: missing tools are only reported
    bool supervise = true;        ///< ensure a runsvdir over <root>/service
    /// Servers: under systemd (PID 1) or the system's runit (/etc/service) when root, else
    /// detached. The local rack: always detached, never touching this machine's /etc.
    bool system_supervisor = true;
    /// Debian packages the stacks deployed here need at run time (the buildpacks' run-packages),
    /// installed besides the base ones when missing.
    std::vector<std::string> run_packages;
};

/// The script part that installs (or, without `install`, only reports) what is missing: the base
/// tools (runit, caddy, bubblewrap, curl, zstd, iproute2, procps; present when their command is)
/// and `run_packages` (present when dpkg has them installed). Uses the script's `changed` and
/// `fail` functions. Package names must be valid Debian names (Error otherwise).
std::string packages_script(const std::vector<std::string>& run_packages, bool install);

/// The script (run with /bin/sh as root on servers; as the user on the local rack).
std::string bootstrap_script(const BootstrapTarget& target);

/// The "changed: ..." lines of the script's output, in order.
std::vector<std::string> parse_changes(const std::string& output);

/// Runs the script on one server and returns what it changed (empty: nothing to do); its
/// "warning:" lines go to `reporter`.
std::vector<std::string> bootstrap_server(transport::Transport& t, const BootstrapTarget& target,
                                          Reporter& reporter);

/// Bootstraps every server of `rack` in parallel, installing `run_packages` besides the base.
std::vector<Outcome<std::vector<std::string>>>
bootstrap_rack(const manifest::RackSpec& rack, const Layout& layout,
               const std::vector<std::string>& run_packages, const transport::SshOptions& ssh,
               Reporter& reporter, const FanOutOptions& options = {});

} // namespace wm::rack
