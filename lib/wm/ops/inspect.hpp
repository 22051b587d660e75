#pragma once
// Read-only use cases around deploys: `wm deployments list|show`, `wm services list` (`wm ps`)
// and `wm lock status|release`. The servers are authoritative, so these ask them.

#include <wm/ops/env.hpp>
#include <wm/ops/plan.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wm::ops {

/// Which environment (and optionally stack) a command is about.
struct Target {
    std::filesystem::path manifest_path;
    std::string environment;         ///< empty: the manifest's first environment
    std::string stack;               ///< empty: every stack
    std::filesystem::path state_dir; ///< racks registered there are merged into the manifest
};

/// The plan of `target` (manifest loaded and resolved).
DeployPlan plan_for(const Target& target);

/// Connects to the first server of the plan that answers; throws the last error otherwise.
std::unique_ptr<Server> connect_first(const DeployPlan& plan, Env& env);

/// A stored deployment as `wm deployments` shows it.
struct DeploymentView {
    Deployment record;
    bool current = false; ///< its version runs on the server asked
    std::string log;      ///< stored output (show_deployment only)
};

/// Stored deployment records of the plan's stacks, oldest first; `current` when its version
/// runs on `server`.
std::vector<DeploymentView> list_deployments(const DeployPlan& plan, Server& server);

/// Deployment v<N> of `stack` (the only stack when empty) with its stored output.
DeploymentView show_deployment(const DeployPlan& plan, Server& server, const std::string& stack,
                               int version);

/// One instance and the server it runs on.
struct ServerInstance {
    std::string server;
    rack::Instance instance;
};

/// Every instance of the plan's environment on every server (all servers are asked in
/// parallel; an unreachable one is an Error naming it).
std::vector<ServerInstance> list_services(const DeployPlan& plan, Env& env);

/// The deploy lease as each server has it (nullopt: free).
std::vector<std::pair<std::string, std::optional<rack::Lease>>> lock_status(const DeployPlan& plan,
                                                                            Env& env);
/// The --json form of one server's lease (null when free).
nlohmann::json to_json(const std::optional<rack::Lease>& lease);
/// Removes the environment's lease on every server. A lease whose holder is still alive (not
/// expired; on this machine, its pid still runs) is kept unless `force`: throws Error naming the
/// holder, its pid and since when.
void lock_release(const DeployPlan& plan, Env& env, bool force);

/// "v3" -> 3; throws a usage Error for anything else.
int parse_version(const std::string& text);

} // namespace wm::ops
