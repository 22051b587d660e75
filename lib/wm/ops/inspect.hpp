#pragma once
// Read-only use cases around deploys: `wm deployments list|show`, `wm services list` (`wm ps`)
// and `wm lock status|release`. The servers are authoritative, so these ask them.

#include <wm/ops/env.hpp>
#include <wm/ops/plan.hpp>
#include <wm/rack/fanout.hpp>

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

/// The deploy of v<N> of `stack` that is running now, as far as `server` knows: its lease
/// names that version (once the release command ran), with status "running", the lease's holder,
/// start and description, and as log the server's event log lines of that version so far (release
/// command output, instances started, proxy switched). nullopt when no running deploy names it.
std::optional<DeploymentView> running_deployment(const DeployPlan& plan, Server& server,
                                                 const std::string& stack, int version);

/// Deployment v<N> of `stack` (the only stack when empty) with its stored output; while that
/// deploy runs, what running_deployment() says. Throws Error when neither knows the version.
DeploymentView show_deployment(const DeployPlan& plan, Server& server, const std::string& stack,
                               int version);

/// What one server answered to a read, or why it could not (unreachable, or the read failed):
/// reads answer for the servers they reach and mark the others.
template <typename T>
using ServerRead = rack::Outcome<T>;
/// The instances of one server.
using InstanceList = std::vector<rack::Instance>;

/// Every instance of the plan's environment, per server in plan order (all asked in parallel);
/// a server that cannot be reached or read carries its Error (naming it) instead.
std::vector<ServerRead<std::vector<rack::Instance>>> list_services(const DeployPlan& plan,
                                                                   Env& env);

/// The deploy lease as each server has it (nullopt: free), per server like list_services.
std::vector<ServerRead<std::optional<rack::Lease>>> lock_status(const DeployPlan& plan, Env& env);
/// Servers whose read failed.
template <typename T>
size_t unreachable_count(const std::vector<ServerRead<T>>& reads) {
    size_t n = 0;
    for (const auto& r : reads) {
        n += r.ok() ? 0 : 1;
    }
    return n;
}
/// The --json form of one server's lease (null when free).
nlohmann::json to_json(const std::optional<rack::Lease>& lease);
/// Removes the environment's lease on every server. A lease whose holder is still alive (not
/// expired; on this machine, its pid still runs) is kept unless `force`: throws Error naming the
/// holder, its pid and since when.
void lock_release(const DeployPlan& plan, Env& env, bool force);

/// "v3" -> 3; throws a usage Error for anything else.
int parse_version(const std::string& text);

} // namespace wm::ops
