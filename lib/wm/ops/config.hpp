#pragma once
// `wm config list|set|unset`: config and secrets kept on the environment's servers (never in
// the repo, a slug, the journal or any output unless revealed). A change re-releases the running
// slugs with the new config through the deploy's health-gated switch.

#include <wm/ops/deploy.hpp>
#include <wm/ops/env.hpp>
#include <wm/ops/inspect.hpp>
#include <wm/rack/config_store.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wm::ops {

/// Variables to set (a value) or unset (nullopt), by name.
using ConfigChanges = rack::ConfigChanges;

/// One variable as a stack's instances get it, and which layer gave it.
struct ConfigEntry {
    std::string stack;
    std::string name;
    std::string value;
    /// "environment", "stack" or "region <r>" (widemesh.yaml), "server" (`wm config set`) or
    /// "server -s <stack>" (`wm config set -s`); later layers win in that order.
    std::string source;
};

/// Every variable of the target's stacks (the first rack's region decides region config), by
/// stack then name. Reads the servers' stores from the first server that answers.
std::vector<ConfigEntry> config_list(const Target& target, Env& env);

/// The --json form: [{stack, name, source[, value]}], values only when `reveal`.
nlohmann::json config_list_json(const std::vector<ConfigEntry>& entries, bool reveal);

/// A change of the servers' config store.
struct ConfigChange {
    Target target;                            ///< stack set: that stack's store, else the app env's
    rack::ConfigChanges changes;              ///< name -> value (set) or nullopt (unset)
    std::optional<std::chrono::seconds> wait; ///< queue for the lease this long
};

/// What a change did.
struct ConfigChangeResult {
    std::string description;             ///< "config set FOO, BAR"
    std::vector<std::string> stored_on;  ///< servers
    std::optional<DeployResult> release; ///< the re-release; nullopt: nothing ran yet

    nlohmann::json to_json() const;
};

/// Throws a usage Error naming the first variable whose name is invalid or whose NAME=VALUE is
/// over rack::k_max_env_entry.
void check_changes(const rack::ConfigChanges& changes);

/// "config set A, B" / "config unset C" / "config set A; unset C".
std::string describe_changes(const rack::ConfigChanges& changes);

/// Under the app env's lease: writes the change to every server's store, then re-releases each
/// running stack it concerns (new v<N+1> from the running slug with the merged config, release
/// command, health-gated switch, recorded with the description). When the re-release fails
/// the stores are put back as they were and the old release keeps serving; the Error is
/// rethrown.
ConfigChangeResult config_change(const ConfigChange& change, Env& env);
/// config_change() for an already resolved plan (change.target.manifest_path is not read).
ConfigChangeResult config_change_plan(DeployPlan plan, const ConfigChange& change, Env& env);

} // namespace wm::ops
