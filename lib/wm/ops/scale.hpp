#pragma once
// `wm scale` and `wm restart`: instance sets of the running release replaced without a new
// release, through the deploy's health-gated switch (new instances up and healthy, proxy
// switched, old ones drained and stopped).

#include <wm/ops/env.hpp>
#include <wm/ops/inspect.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wm::ops {

/// What `wm scale` changes: counts by service of one stack.
struct ScaleRequest {
    Target target;                     ///< stack required when the app has several
    std::map<std::string, int> counts; ///< service -> instances (web >= 1)
    std::optional<std::chrono::seconds> wait;
};

/// What `wm restart` rolls.
struct RestartRequest {
    Target target;       ///< stack empty: every stack that runs
    std::string service; ///< empty: every service
    std::optional<std::chrono::seconds> wait;
};

/// One stack whose instances were replaced.
struct Rolled {
    std::string stack;
    int version = 0;
    std::map<std::string, int> counts; ///< service -> instances per server now

    nlohmann::json to_json() const;
};

/// "web=3" -> {"web", 3}; throws a usage Error for anything else.
std::pair<std::string, int> parse_count(const std::string& text);

/// Under the lease: replaces the stack's instances of the named services with the new counts
/// (same release), then stores the counts on every server so later deploys keep them while the
/// manifest's count for the service stays what it is now. Throws a usage Error for an unknown
/// service or web=0.
Rolled scale(const ScaleRequest& request, Env& env);
/// scale() for an already resolved plan.
Rolled scale_plan(const DeployPlan& plan, const ScaleRequest& request, Env& env);

/// Under the lease: replaces the instances of each running stack (of `service` only when set)
/// with fresh ones of the same release.
std::vector<Rolled> restart(const RestartRequest& request, Env& env);
/// restart() for an already resolved plan.
std::vector<Rolled> restart_plan(const DeployPlan& plan, const RestartRequest& request, Env& env);

/// How many instances of a service run per server, and why, as `wm ps` shows it.
struct ServiceCount {
    std::string stack, service;
    int instances = 1;
    std::string origin; ///< "manifest", "wm scale (manifest: N)", or "default" (not listed)
};

/// The effective count of every service of the plan's stacks that runs, asked of the first
/// server that answers; empty when none does (`wm ps` shows what it can).
std::vector<ServiceCount> service_counts(const DeployPlan& plan, Env& env);

} // namespace wm::ops
