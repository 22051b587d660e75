#pragma once
// The declarative model read from widemesh.yaml: plain values, no behaviour, no yaml-cpp types.
// Words follow the seed: provider, rack, environment, stack, service, endpoint.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wm::manifest {

/// Where a rack's servers come from: this machine, or servers you already have, by address.
enum class Provider {
    local,        ///< "local": this machine, no SSH
    static_hosts, ///< "static": servers listed by address, reached over SSH
};

/// The manifest's word for `p` ("local", "static"), used in every message and JSON field.
std::string_view to_string(Provider p);
/// The provider named `word`, or nullopt when it is none of "local", "static".
std::optional<Provider> provider_from_string(std::string_view word);
/// Every provider's word, comma separated ("local, static"), for "unknown provider" messages.
std::string provider_names();

/// The name of the embedded rack of the local provider (this machine).
inline constexpr std::string_view k_local_rack = "local";

/// Where a value came from in the manifest file, for error messages.
struct Mark {
    int line = 0; ///< 1-based; 0 when not from a file
    int column = 0;
};

/// One server of a rack, reached over SSH (static provider): the only shape of a server in wm.
/// rack::to_ssh_target turns it into the transport's connection target.
/// Unset fields are left to ~/.ssh/config, as for `ssh host`: a user or port given here wins.
struct ServerSpec {
    std::string address; ///< host name, IP, or a Host alias of ~/.ssh/config
    std::string user;    ///< empty: ~/.ssh/config's User, else root
    int port = 0;        ///< 0: ~/.ssh/config's Port, else 22
    std::string key;     ///< private key path; empty: ssh-agent, then ~/.ssh defaults
    std::string name;    ///< display name; defaults to address
    std::string jump;    ///< bastion `[user@]host[:port]` reached first; empty: the rack's
};

/// A named group of servers from one provider in one region.
struct RackSpec {
    std::string name;
    Provider provider = Provider::static_hosts;
    std::string region;              ///< free-form region label, used by environment overrides
    std::string alias_domain;        ///< platform alias = <app>-<environment>.<alias_domain>
    std::vector<ServerSpec> servers; ///< empty for the local provider
    int http_port = 0;               ///< proxy HTTP port; 0 = provider default (80, local: 7480)
    int https_port = 0;              ///< proxy HTTPS port; 0 = provider default (443, local: none)
    std::string jump; ///< bastion `[user@]host[:port]` its servers are reached through; empty:
                      ///< direct (or ~/.ssh/config's ProxyJump)
    Mark mark;
    bool registered = false; ///< from the state directory (wm rack add), not from the manifest

    bool is_local() const { return provider == Provider::local; } ///< this machine's rack
};

/// Health check of a service. Web: with no path configured, any answer below 500 at "/"
/// means up (a login redirect or an API's 404 at "/" is a healthy app); a configured path
/// must answer 2xx. Worker: healthy once it has kept running for `uptime_seconds`.
struct HealthCheck {
    std::string path;         ///< empty: not configured (the default rule above)
    int timeout_seconds = 30; ///< how long a new instance may take to become healthy
    int interval_seconds = 1;
    /// Worker (not web): how long it must run without restarting to count as healthy; 0: the
    /// default, worker_uptime().
    int uptime_seconds = 0;

    /// The uptime a worker must reach: `uptime_seconds`, else 10 s (catches a crash in the
    /// first seconds, e.g. a queue consumer failing to connect) but below the timeout.
    int worker_uptime() const {
        return uptime_seconds > 0 ? uptime_seconds : std::max(1, std::min(10, timeout_seconds - 1));
    }
};

/// A command run from the stack's release: web, worker, or cron (schedule set).
struct ServiceSpec {
    std::string name;
    std::string command; ///< empty: the buildpack's / Procfile's process of the same name
    int instances = 1;
    std::optional<std::uint64_t> memory_bytes;
    HealthCheck health;
    std::string schedule; ///< cron: "@hourly", "@daily", "@every 2m", "5 4 * * *"
    /// One instance per environment (on the first server of its first rack), not per server,
    /// replaced stop-first so two never run at once (a scheduler, a queue's only consumer).
    bool singleton = false;
    Mark mark;

    bool is_web() const { return name == "web"; }      ///< routed by the proxy, health by HTTP
    bool is_cron() const { return !schedule.empty(); } ///< scheduled, not kept running
};

/// One code base (a path in the repo) built by one formula.
struct StackSpec {
    std::string name;
    std::string path = ".";              ///< relative to the repo root
    std::string formula = "buildpack";   ///< "buildpack" or "dockerfile"
    std::vector<std::string> buildpacks; ///< empty: auto-detect; else names, paths or git URLs
    std::string release_command;         ///< runs once per deployment before traffic moves
    int release_timeout_seconds = 600;   ///< the release command is killed after this long
    std::map<std::string, std::string> config; ///< non-secret env vars for every service
    std::vector<ServiceSpec> services;         ///< empty: the release's process types, one each
    Mark mark;
};

/// Per-region overrides inside an environment, keyed by the rack's region.
struct RegionOverride {
    std::string region;
    std::map<std::string, std::string> config;
    std::map<std::string, int> instances; ///< key "<stack>.<service>"
    Mark mark;
};

/// A network-isolated group of stacks on one or more racks.
struct EnvironmentSpec {
    std::string name;
    std::vector<std::string> racks;            ///< in order; the last is the newest
    std::map<std::string, std::string> config; ///< applies to every stack
    std::vector<RegionOverride> regions;
    Mark mark;
};

/// One route of a custom-domain endpoint.
struct Route {
    std::string path = "/";
    std::string stack;
    std::string service = "web";
};

/// A custom domain routing paths to services across stacks.
struct EndpointSpec {
    std::string domain;
    std::vector<Route> routes;
    std::vector<std::string> environments; ///< empty: every environment
    Mark mark;
};

/// The whole manifest after loading and validation, defaults filled.
struct Manifest {
    std::string app;
    std::vector<RackSpec> racks;               ///< always contains the embedded "local" rack
    std::vector<EnvironmentSpec> environments; ///< defaults to "production" on "local"
    std::vector<StackSpec> stacks;             ///< defaults to one stack "app" at "."
    std::vector<EndpointSpec> endpoints;
    int keep_releases = 5;
    /// Where deploys build: "" (not said: as "rack") or "rack" (the first server of the
    /// environment's first rack; this machine when that is the local rack), "local" (this
    /// machine), "server NAME" (that server of the environment).
    std::string build;
    std::string file; ///< path it was read from

    /// The rack of that name, or nullptr.
    const RackSpec* find_rack(const std::string& name) const;
    /// The environment of that name, or nullptr.
    const EnvironmentSpec* find_environment(const std::string& name) const;
    /// The stack of that name, or nullptr.
    const StackSpec* find_stack(const std::string& name) const;
};

} // namespace wm::manifest
