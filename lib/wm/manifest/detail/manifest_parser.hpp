#pragma once
// Internal: the parser of widemesh.yaml's keys, one member per section of the file. Its members
// are defined by concept: parse.cpp (the top-level keys and config maps), parse_racks.cpp
// (racks and servers), parse_stacks.cpp (stacks, services, health checks) and
// parse_environments.cpp (environments, regions, endpoints and their routes).

#include <wm/manifest/detail/diagnostics.hpp>
#include <wm/manifest/detail/yaml_reader.hpp>

#include <map>
#include <optional>
#include <string>

namespace wm::manifest::detail {

/// Sets `target` from `value` when the read succeeds.
template <typename T>
void assign(T& target, const std::optional<T>& value) {
    if (value) {
        target = *value;
    }
}

/// Reads one YAML document into a Manifest, reporting every problem of keys and types to the
/// Diagnostics it was made with (cross references are checked later, on the model).
class ManifestParser {
  public:
    /// Reports to `diag`, which must outlive the parser.
    explicit ManifestParser(Diagnostics& diag) : m_diag(diag), m_read(diag) {}

    /// The document's root: what could be read, problems reported (defaults not yet filled).
    Manifest parse(const YAML::Node& root);

  private:
    /// Checks a name given as a map key (the name of a stack, ...) or, with `is_value`, as the
    /// value at `path` (the app name).
    void name(const std::string& value, const std::string& path, bool is_value = false);
    /// Checks `build:`: local, rack, or "server NAME".
    void build_mode(const std::string& value, const std::string& path);
    /// One entry of `racks`, `environments`, `stacks` or `endpoints` (`section`), named `n`.
    void add_entry(Manifest& m, const std::string& section, const std::string& n,
                   const YAML::Node& node, const std::string& path);
    /// A `config:` map: variable names checked, values as written.
    std::map<std::string, std::string> config(const YAML::Node& node, const std::string& path);

    // parse_racks.cpp
    /// A rack and its servers; `local` is the local provider unless it says otherwise.
    RackSpec rack(const std::string& rack_name, const YAML::Node& node, const std::string& path);
    /// `provider:`, one of the known words.
    void provider(RackSpec& r, const YAML::Node& node, const std::string& path);
    /// "user@host:port" or a map {address, user, port, key, name, jump}.
    ServerSpec server(const YAML::Node& node, const std::string& path);
    /// "user@host:port" (`text`, the scalar at `path`): unset parts stay unset; problems reported.
    ServerSpec server_text(std::string text, const std::string& path);
    /// A bastion `[user@]host[:port]`, checked like a server (it reaches ssh the same way);
    /// returned as written.
    std::string jump(const YAML::Node& node, const std::string& path);

    // parse_stacks.cpp
    /// A stack: where it is, how it builds and releases, its config and services.
    StackSpec stack(const std::string& stack_name, const YAML::Node& node, const std::string& path);
    /// A service: a command (the scalar form) or a map with counts, memory, health, schedule.
    ServiceSpec service(const std::string& service_name, const YAML::Node& node,
                        const std::string& path);
    /// `health:`, a path (the scalar form) or a map with the path and its timings.
    HealthCheck health(const YAML::Node& node, const std::string& path);
    /// Sets the health check's path; an empty one is refused.
    void health_path(HealthCheck& h, const std::string& value, const std::string& path);
    /// `memory:`, a size such as 512M or 1G.
    void memory(ServiceSpec& s, const YAML::Node& node, const std::string& path);

    // parse_environments.cpp
    /// An environment: its racks, config and per-region overrides.
    EnvironmentSpec environment(const std::string& env_name, const YAML::Node& node,
                                const std::string& path);
    /// One region's overrides of an environment: config and instance counts.
    RegionOverride region(const std::string& region_name, const YAML::Node& node,
                          const std::string& path);
    /// A custom domain: the environments it serves and its routes.
    EndpointSpec endpoint(const std::string& domain, const YAML::Node& node,
                          const std::string& path);
    /// "<stack>.<service>", or "<stack>" for its web service.
    Route route(const std::string& route_path, const YAML::Node& node, const std::string& path);

    Diagnostics& m_diag;
    YamlReader m_read;
};

} // namespace wm::manifest::detail
