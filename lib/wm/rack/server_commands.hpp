#pragma once
// Pure builders of every shell command ServerOps runs on a server, grouped by concern, and of
// the messages it reports. Paths are quoted with shell_quote; no value passed here is secret
// (config values travel as files, never in command text). Tested by exact text.

#include <wm/rack/layout.hpp>
#include <wm/rack/lease.hpp>
#include <wm/runtime/commands.hpp>
#include <wm/runtime/sandbox.hpp>

#include <string>
#include <vector>

namespace wm::rack {

// ---- files -----------------------------------------------------------------------------------

/// `mkdir -p` of each directory.
std::string make_dirs_command(const std::vector<std::string>& dirs);
/// Exits 0 when `path` is a regular file.
std::string file_exists_command(const std::string& path);
/// Exits 0 and removes `next` when it has the same bytes as `current` (nothing to apply).
std::string unchanged_file_command(const std::string& next, const std::string& current);
/// Exits 0 when `path` is a non-empty file.
std::string file_nonempty_command(const std::string& path);
/// Renames `from` to `to` (atomic on one file system).
std::string move_command(const std::string& from, const std::string& to);
/// Prints the file; exits non-zero (quietly) when it is missing.
std::string cat_command(const std::string& path);

// ---- readiness -------------------------------------------------------------------------------

/// Creates every server-wide directory of the layout.
std::string prepare_layout_command(const Layout& l);
/// Prints the uid wm runs as on the server ("0\n" for root).
std::string user_id_command();
/// Empties `staging` and creates its log/ dir (a service dir being assembled).
std::string stage_proxy_command(const std::string& staging);
/// Moves the assembled proxy service dir into service/ and wakes runsvdir.
std::string install_proxy_command(const Layout& l, const std::string& staging);

// ---- preflight -------------------------------------------------------------------------------

/// Something a server must have before a deploy starts anything on it.
struct Need {
    std::string stack;   ///< the stack that needs it; empty: wm itself (supervisor, proxy, sandbox)
    std::string package; ///< the Debian package that provides it
    std::string command; ///< looked for with `command -v`; empty: dpkg is asked for `package`
    std::string who{};   ///< who needs it when not a stack or wm (e.g. "the builder"); else empty
};

/// What wm itself runs on every server (the supervisor, proxy and sandbox and the tools its
/// remote commands use), as `wm rack bootstrap` installs it.
const std::vector<Need>& base_needs();
/// What the network isolation of app envs needs besides base_needs (iproute2's `ip` is one of
/// them already): nftables, on servers where wm is root.
Need network_need();
/// One script checking every need (command -v, or dpkg-query where a need has no command and the
/// server has dpkg); prints "missing <index>" for each one absent, index into `needs`.
std::string preflight_command(const std::vector<Need>& needs);
/// The indices of the "missing <index>" lines of the preflight output, in order (other lines
/// and indices not below `count` ignored).
std::vector<size_t> parse_missing(const std::string& output, size_t count);
/// The preflight failure of a missing need: "stack S needs C (Debian package P); run 'wm rack
/// bootstrap R'" (wm's own needs: "wm needs ..."; a need with `who`: "<who> needs ..."). On the
/// local rack, where bootstrap installs nothing, the remedy is "install it: apt-get install P".
std::string missing_message(const Need& need, const std::string& rack, bool local);

/// Prints the server's architecture (`uname -m`).
std::string machine_command();

// ---- tenants ---------------------------------------------------------------------------------

/// Prints the uid (= gid) of tenant `key`, allocating the lowest free one of
/// [sandbox::k_first_tenant_uid, k_last_tenant_uid] on first use: free means neither in
/// tenants/uids nor a user or group of the server (getent). Serialized by a mutex dir; the
/// record makes it stable across deploys and restarts. Exits 1 with "no free tenant uid" when
/// the range is exhausted.
std::string allocate_tenant_command(const Layout& l, const std::string& key);
/// Makes each path owned by root:<gid> with mode 0750 (creating missing ones): only root and
/// the tenant reach what is below.
std::string restrict_dirs_command(const std::vector<std::string>& dirs, int gid);

// ---- proxy -----------------------------------------------------------------------------------

/// Prints every stored route record (proxy/routes/<app>.<env>.json), one JSON document per line.
std::string read_routes_command(const Layout& l);
/// Validates the Caddyfile `file` without loading it.
std::string caddy_validate_command(const Layout& l, const std::string& file);
/// Keeps the current Caddyfile as Caddyfile.prev, moves `next` in place, waits up to 15 s for
/// the admin socket (Caddy may be starting) and reloads gracefully.
std::string caddy_switch_command(const Layout& l, const std::string& next);
/// Puts Caddyfile.prev back after a failed reload.
std::string caddy_restore_command(const Layout& l);

// ---- lease -----------------------------------------------------------------------------------

/// Removes the environment's lease file.
std::string remove_lease_command(const Layout& l, const AppEnv& ae);

// ---- releases --------------------------------------------------------------------------------

/// Lists releases/ of the app env's stack (v<N> names; nothing when missing).
std::string list_releases_command(const Layout& l, const AppEnv& ae, const std::string& stack);
/// Unpacks the slug into a temporary dir beside releases/v<N>/app, then swaps it in. With a
/// tenant (uid > 0) the app tree becomes the tenant's (so its ephemeral layer can change /app)
/// and unreadable for others, and releases/v<N> root:<gid> 0750.
std::string unpack_command(const Layout& l, const AppEnv& ae, const std::string& stack, int version,
                           const std::string& sha256, int uid = 0, int gid = 0);
/// Empties releases/v<N>/env and recreates it 0700 (the values are written as 0600 files).
std::string reset_config_command(const Layout& l, const AppEnv& ae, const std::string& stack,
                                 int version);
/// Runs `spec` (a release command in its sandbox) with stderr merged into stdout.
std::string release_command(const runtime::SandboxSpec& spec);
/// Removes the release command's scratch dir when empty (never fails).
std::string remove_scratch_command(const std::string& scratch);

// ---- records ---------------------------------------------------------------------------------

/// deployments/v<N> of the app env's stack, without extension (".json" record, ".log" output).
std::string deployment_base(const Layout& l, const AppEnv& ae, const std::string& stack,
                            int version);

// ---- instances -------------------------------------------------------------------------------

/// The runit service dir (and log dir) name of an instance:
/// <app>.<env>.<stack>.<service>.v<version>.<index> (names never contain '.').
std::string instance_name(const AppEnv& ae, const std::string& stack, const std::string& service,
                          int version, int index);
/// Prints the last `lines` lines of an instance's log (nothing when there is none).
std::string tail_log_command(const Layout& l, const std::string& instance, int lines);
/// Creates the staging dirs (.<name>/{log,layer,control}) and log dirs of new instances.
std::string stage_instances_command(const Layout& l, const std::vector<std::string>& names);
/// Moves staged instances into service/ (runsvdir starts them) and wakes runsvdir.
std::string activate_instances_command(const Layout& l, const std::vector<std::string>& names);
/// Checks web targets (in the background) and workers together; exits 1 if any failed. Prints
/// the lines of runtime::web_health_script and runtime::worker_health_script.
std::string health_command(const std::vector<runtime::WebTarget>& web,
                           const std::vector<runtime::WorkerTarget>& workers,
                           const std::string& path, int timeout_s);
/// Drains the web instances' `ports` for at most `drain_s` seconds (rack/drain.hpp: until no
/// connection to them is open; 0: not at all), then stops and removes the instances.
std::string stop_instances_command(const Layout& l, const std::vector<std::string>& names,
                                   int drain_s, const std::vector<int>& ports = {});

// ---- parsers of command output --------------------------------------------------------------

/// The N of every "v<N>" word in `text` (other words ignored), ascending.
std::vector<int> parse_versions(const std::string& text);
/// The last `n` lines of `text`, each ending in a newline.
std::string last_lines(const std::string& text, int n);
/// The non-empty lines of `text`.
std::vector<std::string> nonempty_lines(const std::string& text);

// ---- messages --------------------------------------------------------------------------------

/// Refusal of a lease someone else holds.
std::string lease_held_message(const AppEnv& ae, const Lease& holder);
/// Warning when taking over an expired lease or one whose holder died.
std::string stale_lease_message(const AppEnv& ae, const Lease& holder);
/// Refusal of a platform alias `host` that `holder` already has on this server.
std::string alias_taken_message(const std::string& host, const AppEnv& wanted,
                                const AppEnv& holder);
/// A foreign process on a proxy port; `listener` is "<port> <pid> <command line>".
std::string port_in_use_message(const std::string& listener);
/// A health check that failed: `failed` of `count` new instances; `details` lists each failed
/// one (unhealthy_instance_message); `timed_out`: the check itself did not finish in time.
std::string unhealthy_message(size_t failed, size_t count, bool timed_out,
                              const std::string& details);

/// One instance that failed its health check, as the check saw it.
struct UnhealthyInstance {
    std::string name;
    int port = 0;        ///< 0: a worker
    std::string why;     ///< the check's verdict (runtime::web_health_script, after "fail ")
    std::string path;    ///< configured health.path; "": the default rule (below 500 at /)
    int timeout_s = 0;   ///< health.timeout
    std::string setting; ///< the manifest key of the timeout, "stacks.S.services.W.health"
    std::string log;     ///< its last log lines ("" when none)
};

/// Why the instance is not healthy, in words that name what to change (the port it listens
/// on instead of $PORT, the setting to raise for a slow boot), then its last log lines.
std::string unhealthy_instance_message(const UnhealthyInstance& i);
/// Warning after a failed deploy: whether an earlier release still serves.
std::string deploy_failed_message(bool anything_was_serving);
/// Progress: an instance was started.
std::string started_message(const std::string& name, int port);
/// Progress: instances were stopped.
std::string stopped_message(size_t count);
/// Progress: the proxy routes a target to `count` instances.
std::string routed_message(const std::string& target, size_t count);

} // namespace wm::rack
