// widemesh.yaml, `stacks`: each stack, its services, their memory and health checks.
#include <wm/manifest/checks.hpp>
#include <wm/manifest/detail/manifest_parser.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace wm::manifest::detail {

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

} // namespace wm::manifest::detail
