#pragma once
// `wm rollback [vN]`: re-activates a retained release with the same zero-downtime switch as a
// deploy (start, health, switch, stop old), without rebuilding.

#include <wm/ops/env.hpp>
#include <wm/ops/inspect.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace wm::ops {

/// Which release to re-activate.
struct RollbackRequest {
    Target target;
    std::optional<int> version; ///< nullopt: the newest succeeded deployment before the current
    std::optional<std::chrono::seconds> wait; ///< queue for the lease this long
};

/// What a rollback did.
struct RollbackResult {
    std::string environment, stack;
    int from = -1; ///< the version that served before (-1: none)
    int to = -1;
    std::vector<std::string> urls;
    nlohmann::json to_json() const;
};

/// Rolls the stack back; throws Error naming the server and step (the current release keeps
/// serving when it fails before the switch).
RollbackResult rollback(const RollbackRequest& request, Env& env);

/// Steps 2-8 of rollback() for an already resolved plan with exactly one stack.
RollbackResult rollback_plan(const DeployPlan& plan, std::optional<int> version,
                             std::optional<std::chrono::seconds> wait, Env& env);

/// The version to roll back to: `wanted` if given, else the newest succeeded deployment older
/// than `current`. Only a succeeded deployment whose release is still unpacked on every server
/// (`available`, ascending) can serve again: throws Error when `wanted` is the current one, has
/// no record, failed, or was pruned, or when there is no earlier one, each message listing the
/// versions it can return to ("versions you can roll back to: v3, v1").
int pick_rollback_version(const std::vector<Deployment>& records, int current,
                          std::optional<int> wanted, const std::vector<int>& available);

} // namespace wm::ops
