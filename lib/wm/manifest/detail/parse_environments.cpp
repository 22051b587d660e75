// widemesh.yaml, `environments` (racks, config, region overrides) and `endpoints` (custom
// domains and their routes).
#include <wm/manifest/checks.hpp>
#include <wm/manifest/detail/manifest_parser.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace wm::manifest::detail {

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

} // namespace wm::manifest::detail
