#pragma once
// Step 1 of a deploy: what will happen where. Pure: built from the manifest, no I/O, so
// `wm deploy --dry-run` and the real deploy share it.

#include <wm/manifest/manifest.hpp>
#include <wm/manifest/resolve.hpp>
#include <wm/ops/server.hpp>
#include <wm/rack/config_store.hpp>

#include <map>
#include <string>
#include <vector>

namespace wm::ops {

/// One rack of the environment: a deploy wave.
struct PlannedRack {
    manifest::ResolvedRack resolved; ///< stacks with merged config and final counts
    std::vector<PlannedServer> servers;
    /// The environment's first rack: its first server runs the singleton services.
    bool primary = false;
};

/// Everything a deploy acts on, in order.
struct DeployPlan {
    std::string app;
    std::string environment;
    std::vector<PlannedRack> racks;  ///< in the environment's order (one wave each)
    std::vector<std::string> stacks; ///< stacks to deploy, manifest order
    int keep_releases = 5;
    /// Counts set with `wm scale`, by stack (read from the servers; see ops/settings.hpp).
    std::map<std::string, rack::ScaleSettings> scale;
    std::string build; ///< the manifest's `build:` ("", "local", "rack", "server NAME")
    /// Keys every fingerprint of the stacks' config, which holds the servers' secrets once
    /// settings are read (ops/settings.hpp); "" before.
    std::string hash_key;

    /// Every server of every rack, in wave order.
    std::vector<PlannedServer> servers() const;
    /// What the servers key this deploy by.
    AppEnv app_env() const { return {app, environment}; }
};

/// Resolves `environment` of `m` into a plan; `stack` empty means every stack. Throws Error
/// for an unknown stack (listing the known ones) or a static rack without servers.
DeployPlan make_plan(const manifest::Manifest& m, const std::string& environment,
                     const std::string& stack = "");

/// The servers of one rack as the plan names them (local rack: one server "local").
std::vector<PlannedServer> rack_servers(const manifest::RackSpec& rack);

/// The URLs that answer for the environment after a deploy, one line each
/// ("http://shop-production.localhost:7480",
/// "http://shop-production.example.test (servers: 10.0.0.1, ...)").
std::vector<std::string> plan_urls(const DeployPlan& plan);

/// The steps `wm deploy` would run, per rack and server, as printable lines (--dry-run).
std::vector<std::string> describe_plan(const DeployPlan& plan, const std::string& ref);

} // namespace wm::ops
