#pragma once
// Steps 6 and 7 of a deploy, shared with rollback: on one rack, start the new instance set,
// wait for health, switch the proxy, then drain and stop the old set.

#include <wm/ops/fleet.hpp>
#include <wm/ops/plan.hpp>

#include <string>
#include <vector>

namespace wm::ops {

/// One stack release to bring up.
struct Activation {
    std::string stack;
    int version = 0;
    std::vector<manifest::ServiceSpec> services; ///< commands resolved, counts final
    /// Replace only the instances of `services` (restart or scale of some services); false:
    /// every instance of the stack is replaced (a release).
    bool only_these = false;
};

/// Brings `stacks` up on every server of `rack` (in parallel). Any failure before the switch
/// stops the new instances everywhere on the rack, keeps the old ones, and rethrows naming
/// the server and step ("start", "health"); after it, "switch" or "stop".
void activate_rack(Fleet& fleet, const PlannedRack& rack, const AppEnv& ae,
                   const std::vector<Activation>& stacks);

/// The services to run for a stack: the manifest's (empty commands taken from the release's
/// process types), else one instance of every process type. Throws Error naming the stack and
/// service when a command cannot be found.
std::vector<manifest::ServiceSpec>
resolve_services(const manifest::StackSpec& stack,
                 const std::map<std::string, std::string>& process_types);

/// JSON form of services (stored in deployment records for rollback), and back.
nlohmann::json services_to_json(const std::vector<manifest::ServiceSpec>& services);
std::vector<manifest::ServiceSpec> services_from_json(const nlohmann::json& j);

} // namespace wm::ops
