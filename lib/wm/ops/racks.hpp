#pragma once
// `wm rack add|list|remove|status|bootstrap|exec|forget-host`: the racks of the manifest and of
// the state directory, and acting on all servers of one rack at once.

#include <wm/base/process.hpp>
#include <wm/base/reporter.hpp>
#include <wm/manifest/manifest.hpp>
#include <wm/rack/fanout.hpp>
#include <wm/rack/status.hpp>
#include <wm/transport/factory.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wm::ops {

/// Where racks come from: the manifest (optional for these commands) and the state directory.
struct RackScope {
    std::filesystem::path state_dir;
    std::filesystem::path manifest_path; ///< widemesh.yaml
    bool manifest_given = false; ///< -f was given: a missing file is an error, not "no manifest"
};

/// Servers reached at once and the SSH options (ops::ssh_options) of a rack command.
struct RackConnect {
    transport::SshOptions ssh;
    int parallel = 8;
};

/// `wm rack add`: what to register.
struct RackAddRequest {
    std::string name;
    std::vector<std::string> servers; ///< "[user@]host[:port]" each
    std::string region;
    std::string key; ///< private key for every server; empty: agent / ~/.ssh defaults
    std::string alias_domain;
};

/// Registers a static rack in the state directory and returns it. Throws a usage Error for a bad
/// name, the reserved name "local" or a bad server, and an Error when the name is taken.
manifest::RackSpec add_rack(const std::filesystem::path& state_dir, const RackAddRequest& request);
/// The JSON of a registered rack as `wm rack add --json` prints it.
nlohmann::json rack_json(const manifest::RackSpec& rack);

/// One line of `wm rack list`.
struct RackRow {
    std::string name;
    std::string provider;
    std::string region;
    std::string source; ///< "manifest" (including the embedded local rack) or "registered"
    std::vector<std::string> servers;
};
/// Every rack (local first, then the manifest's, then the registered ones). A registered rack
/// shadowed by the manifest's is warned about on `reporter`.
std::vector<RackRow> list_racks(const RackScope& scope, Reporter& reporter);
/// The --json array of `wm rack list`.
nlohmann::json to_json(const std::vector<RackRow>& rows);
/// The table of `wm rack list` (NAME PROVIDER REGION SOURCE SERVERS).
std::string render_racks(const std::vector<RackRow>& rows);

/// Forgets a registered rack; throws Error when none is registered under `name`.
void remove_rack(const std::filesystem::path& state_dir, const std::string& name);

/// Reachability, OS, disk and tools of every server of rack `name` (unreachable ones carry the
/// reason). Throws Error for an unknown rack.
std::vector<rack::ServerStatus> rack_status(const RackScope& scope, const std::string& name,
                                            const RackConnect& connect, Reporter& reporter);

/// [rack::to_json of each server: {server, reachable, reason | rtt_ms, os, ...}].
nlohmann::json to_json(const std::vector<rack::ServerStatus>& servers);
/// The lines of `wm rack status`, one per server.
std::string render_status(const std::vector<rack::ServerStatus>& servers);

/// What `wm rack bootstrap` did on each server: the changes made, or the Error.
using BootstrapOutcome = rack::Outcome<std::vector<std::string>>;
/// Bootstraps every server of rack `name` in parallel: the base packages (runit, Caddy,
/// bubblewrap, ...), and, when the scope has a manifest, the run-packages of every stack an
/// environment on this rack deploys (detected on the committed tree with `runner`);
/// `progress` shows per-server progress on `reporter`. Throws Error for an unknown rack and
/// the export/detection errors of build::rack_run_packages.
std::vector<BootstrapOutcome> bootstrap_rack(const RackScope& scope, const std::string& name,
                                             const RackConnect& connect, ProcessRunner& runner,
                                             Reporter& reporter, bool progress);
/// "<server>: <change>" lines, "<server>: unchanged" or "<server>: failed: <reason>".
std::string render_bootstrap(const std::vector<BootstrapOutcome>& outcomes);
/// [{server, ok, changes | error}].
nlohmann::json to_json(const std::vector<BootstrapOutcome>& outcomes);

/// Receives one chunk of a server's output while `wm rack exec` runs (from several threads).
using ServerOutputFn =
    std::function<void(const std::string& server, Stream stream, std::string_view chunk)>;
/// What the command did on each server (exit code and output), or the Error that stopped it.
using ExecOutcome = rack::Outcome<transport::RunResult>;
/// Runs `command` with /bin/sh on every server of rack `name` in parallel; output streams to
/// `on_output` when set. Throws Error for an unknown rack.
std::vector<ExecOutcome> exec_on_rack(const RackScope& scope, const std::string& name,
                                      const std::string& command, const RackConnect& connect,
                                      Reporter& reporter, const ServerOutputFn& on_output);
/// "exit N" or "failed: <reason>".
std::string exec_status(const ExecOutcome& outcome);
/// [{server, exit_code, out, err} | {server, error}].
nlohmann::json to_json(const std::vector<ExecOutcome>& outcomes);

/// Stops the local rack's supervisor, and with it every instance and the proxy (no process of
/// the local rack is left, orphaned runsv included); returns its status afterwards. Throws a
/// usage Error when `name` is not the local rack (servers' supervisors start with the server).
rack::ServerStatus stop_local_rack(const RackScope& scope, const std::string& name,
                                   Reporter& reporter);
/// Starts the local rack's supervisor and proxy again (what was deployed comes back: the service
/// dirs persist); a no-op when it runs. Returns its status afterwards. Throws like
/// stop_local_rack, and the readiness errors of a deploy (e.g. the proxy port taken).
rack::ServerStatus start_local_rack(const RackScope& scope, const std::string& name,
                                    Reporter& reporter);

/// What `wm rack forget-host` removed.
struct ForgottenHost {
    std::string host; ///< as known_hosts writes it ("[h]:2222" for a port)
    int removed_keys = 0;
    std::filesystem::path known_hosts; ///< wm's own file
};
/// Drops every key of `host` from wm's known_hosts; throws Error when it has none.
ForgottenHost forget_host(const std::filesystem::path& state_dir, const std::string& host);

/// Servers whose outcome failed (an Error, or a command exiting non-zero).
size_t failed_count(const std::vector<BootstrapOutcome>& outcomes);
size_t failed_count(const std::vector<ExecOutcome>& outcomes);
size_t unreachable_count(const std::vector<rack::ServerStatus>& servers);

} // namespace wm::ops
