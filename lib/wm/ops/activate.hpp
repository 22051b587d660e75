#pragma once
// Steps 6 and 7 of a deploy, shared with rollback: on one rack, start the new instance set,
// wait for health, switch the proxy, then drain and stop the old set.

#include <wm/ops/fleet.hpp>
#include <wm/ops/plan.hpp>

#include <map>
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

/// What the servers of a multi-rack activation serve, filled rack by rack by activate_rack.
struct SwitchReport {
    /// server -> "ok" (serves the new release) or "not switched: <error>" (it serves what it
    /// served before; when it could not be reached, its state is unknown until the next contact)
    std::map<std::string, std::string> servers;
    std::vector<Error> errors;         ///< why each not-switched server did not switch
    std::vector<std::string> warnings; ///< old instances that could not be stopped
    bool switched_any = false;         ///< some server serves the new release

    /// "ok" on every server it holds.
    bool complete() const { return errors.empty(); }
    /// "the new release serves on 2 of 3 servers (a, b); not on c: <error>; ...".
    std::string summary() const;
};

/// Brings `stacks` up on every server of `rack` (in parallel). Any failure before the switch
/// stops the new instances everywhere on the rack and keeps the old ones. Once one server of
/// any rack has switched its proxy, the activation rolls forward: a server that fails to
/// switch, or a later rack that fails before its switch, keeps (or gets back) what it served
/// and is reported in `report`, never thrown, so the caller records what each server serves.
/// Without a report, or when nothing switched yet, the failure is rethrown naming the server
/// and step ("start", "health", "switch").
void activate_rack(Fleet& fleet, const PlannedRack& rack, const AppEnv& ae,
                   const std::vector<Activation>& stacks, SwitchReport* report = nullptr);

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
