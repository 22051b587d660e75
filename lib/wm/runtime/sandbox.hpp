#pragma once
// Pure builders for running one command of a release on a server: the bubblewrap sandbox, the
// runit service files around it (run, log/run, svlogd config) and the envdir encoding.
// Everything returns text; nothing here runs a process.

#include <wm/sandbox/confine.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wm::runtime {

/// How a sandboxed process gets a writable /app that is thrown away when it exits.
enum class WritableLayer {
    /// overlayfs (release as lower dir, tmpfs upper) built in a private mount namespace with
    /// `unshare --mount`, because bubblewrap 0.8 has no --overlay options.
    overlay,
    /// /app read-only; only /app/tmp (and /tmp) writable tmpfs.
    tmp_only,
};

/// One command run from a release inside bubblewrap.
struct SandboxSpec {
    std::string app_dir;     ///< releases/v<N>/app on the server: read-only at /app
    std::string scratch_dir; ///< existing empty dir to mount the overlay on (overlay layer only)
    std::string env_dir;     ///< envdir of the config (0600 files, envdir_value); empty: none
    std::string command;     ///< run with /bin/sh -c inside the sandbox, cwd /app
    int port = 0;            ///< $PORT inside the sandbox; 0: not set
    /// Instances: a memory cgroup (v1) when the server has one, else `chpst -d` (RLIMIT_DATA;
    /// never -m, it kills node and the JVM). sandbox_command alone: `chpst -d`.
    std::optional<std::uint64_t> memory_bytes;
    WritableLayer layer = WritableLayer::overlay;
    std::string layer_size = "256m"; ///< tmpfs size of the writable layer
    /// The tenant the command runs as (bwrap runs as root, then setpriv drops to it inside);
    /// nullopt: as whoever runs the script (a server where wm is not root).
    std::optional<sandbox::Identity> user;
    std::string etc_dir;      ///< generated passwd, group, hosts, nsswitch.conf; empty: none
    std::string seccomp_file; ///< BPF program passed as --seccomp 3; empty: no filter
    /// A console on a terminal (`wm run -i`): the command starts with SIGINT and SIGQUIT at
    /// their defaults (coreutils `env --default-signal`), so a Ctrl-C reaches it while the
    /// sandbox's own processes, started with them ignored (rack::oneoff_command), live on.
    bool console = false;
    /// The app env's network namespace (/run/netns/<name>), joined with nsenter before the
    /// sandbox is built; empty: the server's network.
    std::string netns_path;
    /// Instances: the script that brings that namespace up, which the run script runs (under
    /// flock) when the namespace is missing: /run/netns is gone after a reboot, and the
    /// supervisor starts the instances again before any deploy. Empty: never.
    std::string netns_setup;
    /// Bound over /etc/resolv.conf (the namespace's resolvers); empty: the server's file.
    std::string resolv_conf;
};

/// PATH set in every generated script: runsvdir may run with a minimal PATH.
inline constexpr const char* k_path =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The launcher every command of a release runs in (bash, cwd /app, the command as $1), as on
/// Heroku: sources `.wm/config-vars.sh` (the `config_vars` of the buildpacks' bin/release, written
/// by the build), then every `.profile.d/*.sh` in name order (buildpacks put their PATH and
/// defaults there), then the app's own `.profile`, then evaluates the command.
inline constexpr const char* k_launcher =
    "for f in .wm/config-vars.sh .profile.d/*.sh .profile; do [ -f \"$f\" ] && . \"./$f\"; done; "
    "unset f; c=$1; shift; eval \"$c\"";

/// The bubblewrap argv (from "bwrap" to the command): the system of sandbox::system_argv, the
/// generated /etc, the release at /app (read-only for the tmp_only layer, the writable merged
/// overlay otherwise), private IPC and PID namespaces, the seccomp filter on fd 3 and, with a
/// user, setpriv dropping to it before bash runs the command through k_launcher.
std::vector<std::string> bwrap_argv(const SandboxSpec& spec);

/// The whole command line: the config's envdir exported byte-exact by a small sh loop, chpst
/// (memory) + nsenter into the network namespace (when set) + optional overlay setup (its upper dir
/// owned by the user) + bwrap, with the seccomp file opened on fd 3. Throws Error when a path
/// cannot be used safely (commas, colons or whitespace).
std::string sandbox_command(const SandboxSpec& spec);

/// The runit `run` script of an instance: merges stderr, counts starts in ./starts (one byte
/// per start, for the restart count), applies the memory limit (cgroup path in ./cgroup when
/// one was used) and execs the sandbox.
std::string render_run_script(const SandboxSpec& spec);

/// The runit `control/t` script, run by runsv instead of sending TERM to bwrap (bwrap 0.8 does
/// not forward signals; its death SIGKILLs the sandbox): TERMs the app processes inside the
/// sandbox (not shells, so `sh -c` stays to reap them), waits up to `grace_s` for them to exit,
/// then exits 1 so runsv TERMs bwrap as usual.
std::string render_control_term(int grace_s = 8);

/// The runit `log/run` script: `svlogd -tt <log_dir>`.
std::string render_log_run(const std::string& log_dir);

/// svlogd's config file: rotate at `size_bytes`, keep `keep` old files.
std::string render_log_config(std::uint64_t size_bytes = 1000000, int keep = 5);

/// A value as an envdir file: newlines become NULs, and one newline ends the file (the format of
/// daemontools' and runit's envdir; sandbox_command reads it back byte-exact, trailing blanks
/// and newlines included).
std::string envdir_value(const std::string& value);

/// The command words that export every file of `env_dir` (envdir_value format) as a variable,
/// byte-exact, then exec the words that follow them. Not `chpst -e`, which strips trailing
/// spaces and tabs from every value.
std::string env_exec_prefix(const std::string& env_dir);

/// True when `name` is a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*).
bool valid_env_name(const std::string& name);

} // namespace wm::runtime
