#pragma once
// The resolved view of one environment: what a deploy acts on. Overlays applied, defaults
// filled, nothing left for the caller to merge.
//
// Config precedence (later wins): environment config, then stack config, then the config of
// the region override matching the rack's region. Instance counts: the service's `instances`,
// replaced by the region override's `instances["<stack>.<service>"]` when present.

#include <wm/manifest/manifest.hpp>

#include <map>
#include <string>
#include <vector>

namespace wm::manifest {

/// One rack of the environment with the stacks as they run there.
struct ResolvedRack {
    RackSpec rack;     ///< ports filled (static 80/443; local 7480/none)
    std::string alias; ///< platform alias host: "<app>-<environment>.<alias_domain>"; "": none
    std::vector<StackSpec> stacks; ///< config fully merged, instance counts final
};

/// Everything a deploy of one environment needs from the manifest.
struct ResolvedEnvironment {
    std::string app;
    std::string name;
    std::vector<ResolvedRack> racks;           ///< in the environment's order
    std::vector<EndpointSpec> endpoints;       ///< the custom domains that serve this environment
    std::map<std::string, std::string> config; ///< the environment's own config
    int keep_releases = 5;
};

/// Resolves `environment` of `m`; with `region_filter`, keeps only racks in that region.
/// Throws Error for an unknown environment (listing the known ones) or a region no rack of the
/// environment is in.
ResolvedEnvironment resolve(const Manifest& m, const std::string& environment,
                            const std::string& region_filter = "");

} // namespace wm::manifest
