#include <wm/base/error.hpp>
#include <wm/proxy/caddyfile.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace wm::proxy {

namespace {

/// One site address of a host for every enabled scheme: {address, forwarded port, is_https}.
struct Address {
    std::string text;
    int port;
    bool https;
};

std::vector<Address> addresses(const ProxySettings& s, const std::string& host) {
    std::vector<Address> out = {
        {fmt::format("http://{}:{}", host, s.http_port), s.http_port, false}};
    if (s.https_port > 0) {
        out.push_back({fmt::format("https://{}:{}", host, s.https_port), s.https_port, true});
    }
    return out;
}

std::string render_global(const ProxySettings& s) {
    std::string out = "{\n";
    out += fmt::format("\tadmin unix/{}\n", s.admin_socket);
    out += "\tskip_install_trust\n";
    out += fmt::format("\tstorage file_system {}\n", s.storage_dir);
    out += "\tauto_https disable_redirects\n";
    out += fmt::format("\thttp_port {}\n", s.http_port);
    if (s.https_port > 0) {
        out += fmt::format("\thttps_port {}\n", s.https_port);
    }
    out += "\tgrace_period 10s\n";
    return out + "}\n";
}

/// Caddy 2.6 can require one status class only (and follows redirects), so the default rule
/// (any answer below 500 at "/") cannot be checked actively: without a configured path an
/// upstream leaves the rotation only passively, when connecting to it fails (fail_duration).
std::string active_health_check(const std::string& path, const std::string& indent) {
    if (path.empty()) {
        return "";
    }
    std::string out = fmt::format("{}health_uri {}\n", indent, path);
    for (const char* line : {"health_interval 2s", "health_timeout 2s", "health_status 2xx"}) {
        out += indent + line + "\n";
    }
    return out;
}

/// reverse_proxy to one service's upstreams, or a 503 when it has none; `indent` tabs deep.
std::string render_handler(const EnvRoutes& env, const std::string& target, int port,
                           const std::string& indent) {
    auto it = env.services.find(target);
    if (it == env.services.end() || it->second.ports.empty()) {
        return fmt::format("{}respond \"no instances of {} in {}\" 503\n", indent, target,
                           env.app_env.path());
    }
    std::string out = indent + "reverse_proxy";
    for (int p : it->second.ports) {
        out += fmt::format(" {}:{}", it->second.host, p);
    }
    out += " {\n";
    for (const char* line : {"lb_policy round_robin", "lb_try_duration 5s", "lb_try_interval 250ms",
                             "fail_duration 10s"}) {
        out += indent + "\t" + line + "\n";
    }
    out += active_health_check(it->second.health_path, indent + "\t");
    out += indent + "\theader_up X-Real-IP {remote_host}\n";
    out += fmt::format("{}\theader_up X-Forwarded-Port {}\n", indent, port);
    return out + indent + "}\n";
}

/// Keeps a client's X-Request-Id, else sets a fresh uuid (Caddy sets XFF/XFP/XFH itself).
const char* k_request_id = "\t@wm_no_request_id not header X-Request-Id *\n"
                           "\trequest_header @wm_no_request_id X-Request-Id {http.request.uuid}\n";

std::string open_site(const ProxySettings& s, const Address& a) {
    std::string out = a.text + " {\n";
    if (a.https && s.tls_internal) {
        out += "\ttls internal\n";
    }
    return out + k_request_id;
}

std::string render_alias(const ProxySettings& s, const EnvRoutes& env) {
    std::string out;
    for (const Address& a : addresses(s, env.alias_host)) {
        out += "\n" + open_site(s, a);
        std::string target = env.alias_target.empty() ? "web" : env.alias_target;
        out += render_handler(env, target, a.port, "\t") + "}\n";
    }
    return out;
}

/// Longest path first, "/" last as the catch-all `handle`.
std::vector<manifest::Route> ordered_routes(std::vector<manifest::Route> routes) {
    std::stable_sort(routes.begin(), routes.end(),
                     [](const auto& a, const auto& b) { return a.path.size() > b.path.size(); });
    return routes;
}

std::string render_route(const EnvRoutes& env, const manifest::Route& r, int port, int n) {
    std::string target = r.stack + "." + r.service;
    if (r.path.empty() || r.path == "/") {
        return "\thandle {\n" + render_handler(env, target, port, "\t\t") + "\t}\n";
    }
    std::string path = r.path.back() == '/' ? r.path.substr(0, r.path.size() - 1) : r.path;
    return fmt::format("\t@wm_route_{n} path {p} {p}/*\n\thandle @wm_route_{n} {{\n",
                       fmt::arg("n", n), fmt::arg("p", path)) +
           render_handler(env, target, port, "\t\t") + "\t}\n";
}

std::string render_domain(const ProxySettings& s, const EnvRoutes& env,
                          const manifest::EndpointSpec& ep) {
    std::string out;
    for (const Address& a : addresses(s, ep.domain)) {
        out += "\n" + open_site(s, a);
        int n = 0;
        for (const manifest::Route& r : ordered_routes(ep.routes)) {
            out += render_route(env, r, a.port, ++n);
        }
        out += "}\n";
    }
    return out;
}

} // namespace

std::string render_caddyfile(const ProxySettings& settings, std::vector<EnvRoutes> envs) {
    std::sort(envs.begin(), envs.end(),
              [](const auto& a, const auto& b) { return a.app_env < b.app_env; });
    std::string out = "# generated by wm: do not edit (rendered from proxy/routes/*.json)\n";
    out += render_global(settings);
    std::set<std::string> hosts;
    for (const EnvRoutes& env : envs) {
        if (!env.alias_host.empty() && hosts.insert(env.alias_host).second) {
            out += render_alias(settings, env);
        }
        for (const manifest::EndpointSpec& ep : env.endpoints) {
            if (hosts.insert(ep.domain).second) {
                out += render_domain(settings, env, ep);
            }
        }
    }
    return out;
}

nlohmann::json to_json(const EnvRoutes& routes) {
    nlohmann::json services = nlohmann::json::object();
    for (const auto& [name, up] : routes.services) {
        services[name] = {{"ports", up.ports}, {"health_path", up.health_path}};
        if (up.host != Upstreams{}.host) {
            services[name]["host"] = up.host;
        }
    }
    nlohmann::json endpoints = nlohmann::json::array();
    for (const manifest::EndpointSpec& ep : routes.endpoints) {
        nlohmann::json rs = nlohmann::json::array();
        for (const manifest::Route& r : ep.routes) {
            rs.push_back({{"path", r.path}, {"stack", r.stack}, {"service", r.service}});
        }
        endpoints.push_back({{"domain", ep.domain}, {"routes", rs}});
    }
    return {{"schema", 2},
            {"app", routes.app_env.app},
            {"env", routes.app_env.env},
            {"alias_host", routes.alias_host},
            {"alias_target", routes.alias_target},
            {"services", services},
            {"endpoints", endpoints}};
}

EnvRoutes env_routes_from_json(const nlohmann::json& j) {
    EnvRoutes r;
    try {
        r.app_env.env = j.at("env").get<std::string>();
        r.app_env.app = j.at("app").get<std::string>();
        r.alias_host = j.value("alias_host", "");
        r.alias_target = j.value("alias_target", "");
        for (const auto& [name, up] : j.at("services").items()) {
            r.services[name] = {up.at("ports").get<std::vector<int>>(), up.value("health_path", ""),
                                up.value("host", Upstreams{}.host)};
        }
        for (const auto& ep : j.value("endpoints", nlohmann::json::array())) {
            manifest::EndpointSpec spec;
            spec.domain = ep.at("domain").get<std::string>();
            for (const auto& route : ep.at("routes")) {
                spec.routes.push_back({route.at("path").get<std::string>(),
                                       route.at("stack").get<std::string>(),
                                       route.at("service").get<std::string>()});
            }
            r.endpoints.push_back(std::move(spec));
        }
    } catch (const nlohmann::json::exception& e) {
        fail("malformed proxy route record of {}: {}", r.app_env.describe(), e.what());
    }
    return r;
}

} // namespace wm::proxy
