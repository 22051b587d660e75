#pragma once
// The daemons every rack server needs, whoever starts them: runsvdir over <root>/service and the
// proxy (Caddy) as one of its services. Bootstrap (servers) or ServerOps::ensure_ready (the local
// rack, or a server whose runsvdir is missing) start them detached; tests stop them.

#include <wm/rack/layout.hpp>
#include <wm/transport/transport.hpp>

#include <string>

namespace wm::rack {

/// Prints the pid of the runsvdir watching layout.service_dir(), starting it detached (new
/// session, clean environment, pid in runsvdir.pid) when none runs. Prints "started <pid>" or
/// "running <pid>".
std::string ensure_runsvdir_command(const Layout& layout);

/// Stops the runsvdir of ensure_runsvdir_command with HUP (runit then stops every service and
/// logger), waits up to 10 s for its runsv processes to exit, then stops any runsv still
/// supervising a service dir of the layout (an orphan of a runsvdir that was killed: it would
/// keep its instance serving) with `sv force-shutdown` (down, then exit; KILL of the service
/// after 7 s), and KILLs a runsv still left. Removes the instances' memory cgroups. Prints
/// nothing; always exits 0. Source: sv(8), runsv(8).
std::string stop_runsvdir_command(const Layout& layout);

/// Prints `supervisor=<pid>` (the runsvdir over layout.service_dir(), empty when none runs) and
/// `services=<n>` (service dirs it supervises, the proxy included). Always exits 0.
std::string supervisor_probe_command(const Layout& layout);

/// Makes runsvdir notice new service dirs now instead of within 5 s: SIGCHLD wakes its poll loop,
/// and it then rescans a directory whose mtime changed (at most once a second, hence a second
/// poke 1.1 s later, in the background). Prints nothing; always exits 0.
std::string poke_runsvdir_command(const Layout& layout);

/// The proxy service's run script: Caddy with HOME/XDG dirs under proxy/ (it writes $HOME/.step
/// and autosave.json there) on the rendered Caddyfile.
std::string render_proxy_run(const Layout& layout);

/// `env HOME=... XDG_...=... caddy`, the prefix of every caddy command for this layout.
std::string caddy_command(const Layout& layout);

/// Stops the local rack's daemons (runsvdir, hence every instance and the proxy).
void stop_local_daemons(transport::Transport& t, const Layout& layout);

} // namespace wm::rack
