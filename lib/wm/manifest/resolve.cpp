#include <wm/base/error.hpp>
#include <wm/deployment/app_env.hpp>
#include <wm/manifest/resolve.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace wm::manifest {

namespace {

const RegionOverride* find_region(const EnvironmentSpec& e, const std::string& region) {
    for (const auto& o : e.regions) {
        if (o.region == region) {
            return &o;
        }
    }
    return nullptr;
}

/// The stack as it runs in `env` on a rack of `region`: config merged, counts overridden.
StackSpec resolve_stack(const StackSpec& stack, const EnvironmentSpec& env,
                        const RegionOverride* region) {
    StackSpec out = stack;
    out.config = env.config;
    for (const auto& [k, v] : stack.config) {
        out.config[k] = v;
    }
    if (!region) {
        return out;
    }
    for (const auto& [k, v] : region->config) {
        out.config[k] = v;
    }
    for (auto& s : out.services) {
        if (auto it = region->instances.find(stack.name + "." + s.name);
            it != region->instances.end()) {
            s.instances = it->second;
        }
    }
    return out;
}

/// Fills the provider's default proxy ports (static: 80/443; local: 7480, no HTTPS).
RackSpec with_default_ports(RackSpec rack) {
    bool local = rack.is_local();
    if (rack.http_port == 0) {
        rack.http_port = local ? 7480 : 80;
    }
    if (rack.https_port == 0 && !local) {
        rack.https_port = 443;
    }
    return rack;
}

bool serves(const EndpointSpec& e, const std::string& environment) {
    return e.environments.empty() || std::find(e.environments.begin(), e.environments.end(),
                                               environment) != e.environments.end();
}

} // namespace

ResolvedEnvironment resolve(const Manifest& m, const std::string& environment,
                            const std::string& region_filter) {
    const EnvironmentSpec* env = m.find_environment(environment);
    if (!env) {
        std::vector<std::string> known;
        for (const auto& e : m.environments) {
            known.push_back(e.name);
        }
        fail("unknown environment \"{}\" (known: {})", environment, fmt::join(known, ", "));
    }
    ResolvedEnvironment out{m.app, env->name, {}, {}, env->config, m.keep_releases};
    std::set<std::string> regions;
    for (const auto& rack_name : env->racks) {
        const RackSpec* rack = m.find_rack(rack_name);
        if (!rack) {
            fail("environment \"{}\": unknown rack \"{}\"", env->name, rack_name);
        }
        regions.insert(rack->region);
        if (!region_filter.empty() && rack->region != region_filter) {
            continue;
        }
        ResolvedRack r{with_default_ports(*rack), "", {}};
        r.alias = alias_host({m.app, env->name}, rack->alias_domain);
        for (const auto& stack : m.stacks) {
            r.stacks.push_back(resolve_stack(stack, *env, find_region(*env, rack->region)));
        }
        out.racks.push_back(std::move(r));
    }
    if (out.racks.empty()) {
        fail("environment \"{}\" has no rack in region \"{}\" (regions: {})", env->name,
             region_filter, fmt::join(regions, ", "));
    }
    for (const auto& e : m.endpoints) {
        if (serves(e, env->name)) {
            out.endpoints.push_back(e);
        }
    }
    return out;
}

} // namespace wm::manifest
