#include <wm/manifest/checks.hpp>
#include <wm/manifest/detail/documents.hpp>
#include <wm/manifest/detail/parse.hpp>
#include <wm/manifest/detail/yaml_reader.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace wm::manifest::detail {

namespace {

/// Sets `target` from `value` when the read succeeds.
template <typename T>
void assign(T& target, const std::optional<T>& value) {
    if (value) {
        target = *value;
    }
}

class ManifestParser {
  public:
    explicit ManifestParser(Diagnostics& diag) : m_diag(diag), m_read(diag) {}

    Manifest parse(const YAML::Node& root);

  private:
    /// Checks a name given as a map key (the name of a stack, ...) or, with `is_value`, as the
    /// value at `path` (the app name).
    void name(const std::string& value, const std::string& path, bool is_value = false) {
        if (auto p = dns_label_problem(value); !p.empty()) {
            m_diag.add(is_value ? m_diag.where(path) : m_diag.key_where(path), path,
                       "invalid name: " + p);
        }
    }
    /// Checks `build:`: local, rack, or "server NAME".
    void build_mode(const std::string& value, const std::string& path) {
        bool server = value.rfind("server ", 0) == 0 && value.size() > 7;
        if (!value.empty() && value != "local" && value != "rack" && !server) {
            m_diag.add(m_diag.where(path), path,
                       fmt::format("'{}' is not one of: local, rack, server NAME", value));
        }
    }
    std::map<std::string, std::string> config(const YAML::Node& node, const std::string& path);
    ServerSpec server(const YAML::Node& node, const std::string& path);
    ServerSpec server_text(std::string text, const std::string& path);
    std::string jump(const YAML::Node& node, const std::string& path);
    RackSpec rack(const std::string& rack_name, const YAML::Node& node, const std::string& path);
    void provider(RackSpec& r, const YAML::Node& node, const std::string& path);
    RegionOverride region(const std::string& region_name, const YAML::Node& node,
                          const std::string& path);
    EnvironmentSpec environment(const std::string& env_name, const YAML::Node& node,
                                const std::string& path);
    HealthCheck health(const YAML::Node& node, const std::string& path);
    void health_path(HealthCheck& h, const std::string& value, const std::string& path);
    ServiceSpec service(const std::string& service_name, const YAML::Node& node,
                        const std::string& path);
    StackSpec stack(const std::string& stack_name, const YAML::Node& node, const std::string& path);
    EndpointSpec endpoint(const std::string& domain, const YAML::Node& node,
                          const std::string& path);
    Route route(const std::string& route_path, const YAML::Node& node, const std::string& path);
    void memory(ServiceSpec& s, const YAML::Node& node, const std::string& path);
    void add_entry(Manifest& m, const std::string& section, const std::string& n,
                   const YAML::Node& node, const std::string& path);

    Diagnostics& m_diag;
    YamlReader m_read;
};

std::map<std::string, std::string> ManifestParser::config(const YAML::Node& node,
                                                          const std::string& path) {
    auto values = m_read.string_map(node, path);
    if (!values) {
        return {};
    }
    for (const auto& [key, value] : *values) {
        bool ok = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
        for (char c : key) {
            ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
        }
        if (!ok) {
            m_diag.add(join_path(path, key),
                       fmt::format("invalid variable name \"{}\" (letters, digits and "
                                   "underscores, not starting with a digit)",
                                   key));
        } else if (auto problem = env_var_problem(key, value); !problem.empty()) {
            m_diag.add(join_path(path, key), problem);
        }
    }
    return *values;
}

/// "user@host:port" (`text`, the scalar at `path`): unset parts stay unset; problems reported.
ServerSpec ManifestParser::server_text(std::string text, const std::string& path) {
    ServerSpec s;
    const std::string whole = text;
    if (auto at = text.find('@'); at != std::string::npos) {
        s.user = text.substr(0, at);
        text = text.substr(at + 1);
    }
    if (auto colon = text.rfind(':'); colon != std::string::npos && text.find(':') == colon) {
        auto digits = text.substr(colon + 1);
        bool ok = !digits.empty() && digits.size() <= 5 &&
                  digits.find_first_not_of("0123456789") == std::string::npos;
        int port = ok ? std::stoi(digits) : 0;
        if (!ok) {
            m_diag.add(path, fmt::format("invalid port \"{}\" in \"{}\"", digits, whole));
        } else if (port < 1 || port > 65535) {
            m_diag.add(join_path(path, "port"), fmt::format("port {} out of range 1-65535", port));
        } else {
            s.port = port;
        }
        text = text.substr(0, colon);
    }
    s.address = text;
    if (s.address.empty()) {
        m_diag.add(path, fmt::format("server \"{}\" has no host", whole));
    }
    return s;
}

/// A bastion `[user@]host[:port]`, checked like a server (it reaches ssh the same way).
std::string ManifestParser::jump(const YAML::Node& node, const std::string& path) {
    auto text = m_read.string(node, path);
    if (!text) {
        return "";
    }
    ServerSpec s = server_text(*text, path);
    for (const std::string& p :
         {s.address.empty() ? std::string() : server_address_problem(s.address),
          s.user.empty() ? std::string() : login_name_problem(s.user)}) {
        if (!p.empty()) {
            m_diag.add(path, p);
        }
    }
    return *text;
}

/// "user@host:port" or a map {address, user, port, key, name, jump}.
ServerSpec ManifestParser::server(const YAML::Node& node, const std::string& path) {
    if (node.IsScalar()) {
        return server_text(node.Scalar(), path);
    }
    ServerSpec s;
    std::optional<int> port; // absent: ~/.ssh/config's Port, else 22
    m_read.fields(node, path, {"address", "user", "port", "key", "name", "jump"}, {"address"},
                  [&](const std::string& k, const YAML::Node& v, const std::string& p) {
                      if (k == "port") {
                          port = m_read.integer(v, p);
                      } else if (k == "jump") {
                          s.jump = jump(v, p);
                      } else {
                          auto value = m_read.string(v, p);
                          assign(k == "address" ? s.address
                                 : k == "user"  ? s.user
                                 : k == "key"   ? s.key
                                                : s.name,
                                 value);
                      }
                  });
    if (port && (*port < 1 || *port > 65535)) {
        m_diag.add(join_path(path, "port"), fmt::format("port {} out of range 1-65535", *port));
    } else if (port) {
        s.port = *port;
    }
    return s;
}

void ManifestParser::provider(RackSpec& r, const YAML::Node& node, const std::string& path) {
    auto word = m_read.string(node, path);
    if (!word) {
        return;
    }
    if (auto p = provider_from_string(*word)) {
        r.provider = *p;
    } else {
        m_diag.add(path,
                   fmt::format("unknown provider \"{}\" (known: {})", *word, provider_names()));
    }
}

RackSpec ManifestParser::rack(const std::string& rack_name, const YAML::Node& node,
                              const std::string& path) {
    RackSpec r;
    r.name = rack_name;
    r.mark = m_diag.where(path);
    r.provider = rack_name == k_local_rack ? Provider::local : Provider::static_hosts;
    name(rack_name, path);
    m_read.fields(
        node, path,
        {"provider", "region", "alias_domain", "servers", "http_port", "https_port", "jump"}, {},
        [&](const std::string& k, const YAML::Node& v, const std::string& p) {
            if (k == "jump") {
                r.jump = jump(v, p);
            } else if (k == "servers") {
                m_read.elements(
                    v, p, "a list of servers",
                    [&](const std::string&, const YAML::Node& sv, const std::string& sp) {
                        r.servers.push_back(server(sv, sp));
                    });
            } else if (k == "http_port" || k == "https_port") {
                assign(k == "http_port" ? r.http_port : r.https_port, m_read.integer(v, p));
            } else if (k == "provider") {
                provider(r, v, p);
            } else {
                assign(k == "region" ? r.region : r.alias_domain, m_read.string(v, p));
            }
        });
    return r;
}

RegionOverride ManifestParser::region(const std::string& region_name, const YAML::Node& node,
                                      const std::string& path) {
    RegionOverride r;
    r.region = region_name;
    r.mark = m_diag.where(path);
    m_read.fields(node, path, {"config", "instances"}, {},
                  [&](const std::string& k, const YAML::Node& v, const std::string& p) {
                      if (k == "config") {
                          r.config = config(v, p);
                          return;
                      }
                      m_read.entries(v, p, "service",
                                     [&](const std::string& key, const YAML::Node& count,
                                         const std::string& count_path) {
                                         if (auto n = m_read.integer(count, count_path)) {
                                             r.instances[key] = *n;
                                         }
                                     });
                  });
    return r;
}

EnvironmentSpec ManifestParser::environment(const std::string& env_name, const YAML::Node& node,
                                            const std::string& path) {
    EnvironmentSpec e;
    e.name = env_name;
    e.mark = m_diag.where(path);
    name(env_name, path);
    m_read.fields(node, path, {"racks", "config", "regions"}, {},
                  [&](const std::string& k, const YAML::Node& v, const std::string& p) {
                      if (k == "racks") {
                          assign(e.racks, m_read.strings(v, p));
                      } else if (k == "config") {
                          e.config = config(v, p);
                      } else {
                          m_read.entries(v, p, "region",
                                         [&](const std::string& rn, const YAML::Node& rv,
                                             const std::string& rp) {
                                             e.regions.push_back(region(rn, rv, rp));
                                         });
                      }
                  });
    return e;
}

// An empty path would silently mean the default rule (below 500 at "/"), which is not what
// someone who wrote a path asked for.
void ManifestParser::health_path(HealthCheck& h, const std::string& value,
                                 const std::string& path) {
    h.path = value;
    if (value.empty()) {
        m_diag.add(path, "health check path is empty (leave health.path out for the default: "
                         "any answer below 500 at \"/\")");
    }
}

HealthCheck ManifestParser::health(const YAML::Node& node, const std::string& path) {
    HealthCheck h;
    if (node.IsScalar()) { // "health: /up" is short for {path: /up}
        health_path(h, node.Scalar(), join_path(path, "path"));
        return h;
    }
    m_read.fields(node, path, {"path", "timeout", "interval", "uptime"}, {},
                  [&](const std::string& k, const YAML::Node& v, const std::string& p) {
                      if (k == "path") {
                          if (auto s = m_read.string(v, p)) {
                              health_path(h, *s, p);
                          }
                      } else {
                          assign(k == "timeout"  ? h.timeout_seconds
                                 : k == "uptime" ? h.uptime_seconds
                                                 : h.interval_seconds,
                                 m_read.integer(v, p));
                      }
                  });
    return h;
}

ServiceSpec ManifestParser::service(const std::string& service_name, const YAML::Node& node,
                                    const std::string& path) {
    ServiceSpec s;
    s.name = service_name;
    s.mark = m_diag.where(path);
    name(service_name, path);
    if (node.IsScalar()) { // "worker: node worker.js" is short for {command: node worker.js}
        s.command = node.Scalar();
        return s;
    }
    m_read.fields(
        node, path, {"command", "instances", "memory", "health", "schedule", "singleton"}, {},
        [&](const std::string& k, const YAML::Node& v, const std::string& p) {
            if (k == "instances") {
                assign(s.instances, m_read.integer(v, p));
                if (s.instances < 0) {
                    m_diag.add(p, fmt::format("instance count {} is negative", s.instances));
                }
            } else if (k == "memory") {
                memory(s, v, p);
            } else if (k == "health") {
                s.health = health(v, p);
            } else if (k == "singleton") {
                assign(s.singleton, m_read.boolean(v, p));
            } else if (k == "schedule") {
                assign(s.schedule, m_read.string(v, p));
                if (auto problem = schedule_problem(s.schedule); !problem.empty()) {
                    m_diag.add(p, fmt::format("invalid schedule \"{}\": {}", s.schedule, problem));
                }
            } else {
                assign(s.command, m_read.string(v, p));
            }
        });
    return s;
}

void ManifestParser::memory(ServiceSpec& s, const YAML::Node& node, const std::string& path) {
    auto text = m_read.string(node, path);
    if (!text) {
        return;
    }
    s.memory_bytes = parse_memory(*text);
    if (!s.memory_bytes) {
        m_diag.add(path, fmt::format("invalid memory size \"{}\" (examples: 512M, 1G, 256Mi, "
                                     "1073741824)",
                                     *text));
    }
}

StackSpec ManifestParser::stack(const std::string& stack_name, const YAML::Node& node,
                                const std::string& path) {
    StackSpec st;
    st.name = stack_name;
    st.mark = m_diag.where(path);
    name(stack_name, path);
    m_read.fields(
        node, path,
        {"path", "formula", "buildpacks", "release", "release_timeout", "config", "services"}, {},
        [&](const std::string& k, const YAML::Node& v, const std::string& p) {
            if (k == "buildpacks") {
                assign(st.buildpacks, m_read.strings(v, p));
            } else if (k == "release_timeout") {
                assign(st.release_timeout_seconds, m_read.integer(v, p));
            } else if (k == "config") {
                st.config = config(v, p);
            } else if (k == "services") {
                m_read.entries(
                    v, p, "service",
                    [&](const std::string& sn, const YAML::Node& sv, const std::string& sp) {
                        st.services.push_back(service(sn, sv, sp));
                    });
            } else {
                assign(k == "path"      ? st.path
                       : k == "formula" ? st.formula
                                        : st.release_command,
                       m_read.string(v, p));
            }
        });
    return st;
}

/// "<stack>.<service>", or "<stack>" for its web service.
Route ManifestParser::route(const std::string& route_path, const YAML::Node& node,
                            const std::string& path) {
    Route r;
    r.path = route_path;
    auto target = m_read.string(node, path);
    if (!target) {
        return r;
    }
    auto dot = target->find('.');
    r.stack = target->substr(0, dot);
    if (dot != std::string::npos) {
        r.service = target->substr(dot + 1);
    }
    if (r.stack.empty() || r.service.empty()) {
        m_diag.add(path, fmt::format("invalid route target \"{}\" (expected <stack>.<service> "
                                     "or <stack>)",
                                     *target));
    }
    return r;
}

EndpointSpec ManifestParser::endpoint(const std::string& domain, const YAML::Node& node,
                                      const std::string& path) {
    EndpointSpec e;
    e.domain = domain;
    e.mark = m_diag.where(path);
    if (auto p = domain_problem(domain); !p.empty()) {
        m_diag.add(m_diag.key_where(path), path, "invalid domain: " + p);
    }
    m_read.fields(node, path, {"environments", "routes"}, {"routes"},
                  [&](const std::string& k, const YAML::Node& v, const std::string& p) {
                      if (k == "environments") {
                          assign(e.environments, m_read.strings(v, p));
                          return;
                      }
                      m_read.entries(v, p, "route",
                                     [&](const std::string& rp, const YAML::Node& rv,
                                         const std::string& rpath) {
                                         e.routes.push_back(route(rp, rv, rpath));
                                     });
                  });
    return e;
}

Manifest ManifestParser::parse(const YAML::Node& root) {
    Manifest m;
    m_diag.remember("", mark_of(root, {1, 1}));
    if (root.IsNull()) {
        m_diag.add("", "missing required key \"app\" (the file is empty)");
        return m;
    }
    m_read.fields(
        root, "", {"app", "racks", "environments", "stacks", "endpoints", "keep_releases", "build"},
        {"app"}, [&](const std::string& k, const YAML::Node& v, const std::string& p) {
            if (k == "app") {
                if (auto app = m_read.string(v, p)) {
                    m.app = *app;
                    name(m.app, p, true);
                }
            } else if (k == "build") {
                assign(m.build, m_read.string(v, p));
                build_mode(m.build, p);
            } else if (k == "keep_releases") {
                assign(m.keep_releases, m_read.integer(v, p));
                if (m.keep_releases < 1) {
                    m_diag.add(p,
                               fmt::format("keep_releases {} must be at least 1", m.keep_releases));
                }
            } else {
                m_read.entries(v, p, k.substr(0, k.size() - 1),
                               [&](const std::string& n, const YAML::Node& ev,
                                   const std::string& ep) { add_entry(m, k, n, ev, ep); });
            }
        });
    return m;
}

void ManifestParser::add_entry(Manifest& m, const std::string& section, const std::string& n,
                               const YAML::Node& node, const std::string& path) {
    if (section == "racks") {
        m.racks.push_back(rack(n, node, path));
    } else if (section == "environments") {
        m.environments.push_back(environment(n, node, path));
    } else if (section == "stacks") {
        m.stacks.push_back(stack(n, node, path));
    } else {
        m.endpoints.push_back(endpoint(n, node, path));
    }
}

} // namespace

std::optional<Manifest> parse_manifest(std::string_view text, Diagnostics& diag) {
    std::optional<std::vector<YAML::Node>> documents = load_documents(text, diag);
    if (!documents) {
        return std::nullopt;
    }
    if (documents->size() > 1) {
        diag.add(mark_of((*documents)[1], {1, 1}), "",
                 fmt::format("expected one YAML document, got {} (separated by \"---\")",
                             documents->size()));
    }
    return ManifestParser(diag).parse(documents->empty() ? YAML::Node() : documents->front());
}

} // namespace wm::manifest::detail
