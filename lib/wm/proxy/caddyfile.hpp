#pragma once
// Pure renderer of a rack server's Caddyfile. One Caddy per server serves every app's
// environments on it, so the file is rendered from the route state of all of them (EnvRoutes,
// stored on the server as proxy/routes/<app>.<env>.json).

#include <wm/deployment/app_env.hpp>
#include <wm/manifest/manifest.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace wm::proxy {

/// The live upstreams of one service ("<stack>.<service>") in one environment.
struct Upstreams {
    std::vector<int> ports;  ///< <host>:<port> of healthy instances
    std::string health_path; ///< active health check path (2xx); empty: passive checks only
    /// The address the instances listen at: their app env's network namespace, or the server's
    /// loopback (stored only when it is not the loopback, so older records read the same).
    std::string host = "127.0.0.1";
};

/// Everything the proxy routes for one app's environment on one server.
struct EnvRoutes {
    AppEnv app_env;
    std::string alias_host;   ///< platform alias, "shop-production.localhost"; empty: none
    std::string alias_target; ///< "<stack>.<service>" answering the alias; empty: none yet
    std::map<std::string, Upstreams> services;     ///< key "<stack>.<service>"
    std::vector<manifest::EndpointSpec> endpoints; ///< custom domains of this environment
};

/// The server-wide proxy settings.
struct ProxySettings {
    int http_port = 80;
    int https_port = 0;        ///< 0: no HTTPS site addresses
    bool tls_internal = false; ///< `tls internal` (test/internal domains) instead of ACME
    std::string admin_socket;  ///< unix socket path of the admin API
    std::string storage_dir;   ///< certificates and CA
};

/// Renders the whole Caddyfile. Environments are rendered sorted by app, then environment; a
/// host (alias or custom domain) claimed by two of them goes to the first. A service without
/// upstreams answers 503.
std::string render_caddyfile(const ProxySettings& settings, std::vector<EnvRoutes> envs);

/// The stored form of EnvRoutes (schema 2: "app" and "env").
nlohmann::json to_json(const EnvRoutes& routes);
/// Reads the stored form; throws Error naming the app and environment on a malformed record.
EnvRoutes env_routes_from_json(const nlohmann::json& j);

} // namespace wm::proxy
