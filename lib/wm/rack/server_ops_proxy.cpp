// ServerOps: the environments' stored routes and the Caddy config rendered from them.
#include <wm/base/error.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_mutex.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/runtime/commands.hpp>

#include <algorithm>
#include <set>

namespace wm::rack {

namespace {

// The app env other than `ae` whose routes claim `host` already, if any.
std::optional<AppEnv> alias_holder(const std::vector<proxy::EnvRoutes>& envs, const AppEnv& ae,
                                   const std::string& host) {
    for (const proxy::EnvRoutes& e : envs) {
        if (!host.empty() && e.alias_host == host && e.app_env != ae) {
            return e.app_env;
        }
    }
    return std::nullopt;
}

// `routes` (the app env's stored ones, or empty) with `u` applied; its instances listen at `host`.
proxy::EnvRoutes updated_routes(proxy::EnvRoutes routes, const RouteUpdate& u,
                                const std::string& alias_domain, const std::string& host) {
    routes.app_env = u.app_env;
    routes.alias_host = alias_host(u.app_env, alias_domain);
    std::string target = u.stack + "." + u.service;
    proxy::Upstreams up;
    up.health_path = u.health_path;
    up.host = host;
    for (const Instance& i : u.instances) {
        up.ports.push_back(i.port);
    }
    if (up.ports.empty()) {
        routes.services.erase(target);
    } else {
        routes.services[target] = up;
    }
    bool unclaimed = routes.alias_target.empty() || !routes.services.count(routes.alias_target);
    if (u.claim_alias || (u.service == "web" && unclaimed)) {
        routes.alias_target = target;
    }
    if (u.set_endpoints) {
        routes.endpoints = u.endpoints;
    }
    return routes;
}

} // namespace

proxy::ProxySettings ServerOps::proxy_settings() const {
    return {m_options.http_port, m_options.https_port, m_options.tls_internal,
            m_layout.admin_socket(), m_layout.proxy_dir() + "/data"};
}

std::vector<proxy::EnvRoutes> ServerOps::read_routes() {
    auto r = run("read proxy routes", read_routes_command(m_layout));
    std::vector<proxy::EnvRoutes> out;
    for (const std::string& line : nonempty_lines(r.out)) {
        try {
            nlohmann::json j = nlohmann::json::parse(line);
            if (j.value("schema", 0) >= 2) { // schema 1: layout 1, keyed by env only; not migrated
                out.push_back(proxy::env_routes_from_json(j));
            }
        } catch (const nlohmann::json::exception& e) {
            fail_step("read proxy routes", std::string("malformed route record: ") + e.what());
        }
    }
    return out;
}

void ServerOps::check_alias(const AppEnv& ae) {
    std::string host = alias_host(ae, m_options.alias_domain);
    if (auto holder = alias_holder(read_routes(), ae, host)) {
        fail_step("prepare", alias_taken_message(host, ae, *holder));
    }
}

void ServerOps::apply_proxy(const std::optional<proxy::EnvRoutes>& changed) {
    const Layout& l = m_layout;
    ServerMutex mutex(m_transport, l.proxy_dir() + "/.switch.lock", "switch proxy");
    std::vector<proxy::EnvRoutes> envs = read_routes();
    if (changed) {
        // Checked again under the mutex: two deploys may have passed check_alias together.
        if (auto holder = alias_holder(envs, changed->app_env, changed->alias_host)) {
            fail_step("switch proxy",
                      alias_taken_message(changed->alias_host, changed->app_env, *holder));
        }
        std::erase_if(envs, [&](const auto& e) { return e.app_env == changed->app_env; });
        envs.push_back(*changed);
    }
    std::string next = l.caddyfile() + ".next";
    m_transport.write_file(next, proxy::render_caddyfile(proxy_settings(), envs));
    // Readiness re-renders on every deploy; Caddy already runs an identical config (it loads
    // the file when it starts, and a failed reload restores the file), so validating and
    // reloading again would only cost time.
    if (!changed && m_transport.run(unchanged_file_command(next, l.caddyfile())).ok()) {
        return;
    }
    reload_proxy(next);
    // Stored only once Caddy took it: if wm dies before this line, the next render goes back to
    // the old routes, whose instances are still running (they are stopped after the switch).
    if (changed) {
        m_transport.write_file(l.route_file(changed->app_env),
                               proxy::to_json(*changed).dump() + "\n");
    }
}

void ServerOps::reload_proxy(const std::string& next) {
    const std::string step = "switch proxy";
    auto v = m_transport.run(caddy_validate_command(m_layout, next));
    if (!v.ok()) {
        fail_step(step, "rendered Caddyfile is invalid:\n" + last_lines(v.out + v.err, 20));
    }
    // The admin socket appears once Caddy runs (runsvdir starts a new service within ~1 s).
    auto r = m_transport.run(caddy_switch_command(m_layout, next));
    if (!r.ok()) {
        m_transport.run(caddy_restore_command(m_layout));
        fail_step(step, "caddy reload failed:\n" + last_lines(r.out + r.err, 10) + "proxy log:\n" +
                            tail_log("proxy", 20));
    }
}

void ServerOps::switch_proxy(const RouteUpdate& u) {
    proxy::EnvRoutes routes;
    for (auto& e : read_routes()) {
        if (e.app_env == u.app_env) {
            routes = e;
        }
    }
    std::string host = u.instances.empty() ? proxy::Upstreams{}.host : upstream_host(u.app_env);
    routes = updated_routes(std::move(routes), u, m_options.alias_domain, host);
    apply_proxy(routes);
    m_reporter.info(routed_message(u.stack + "." + u.service, u.instances.size()), server());
    log_instances(u.app_env, u.instances, "switched the proxy to");
}

void ServerOps::switch_proxy(const AppEnv& ae, const std::vector<Instance>& web,
                             const std::string& health_path) {
    if (web.empty()) {
        fail_step("switch proxy", "no web instances to route " + ae.path() + " to");
    }
    RouteUpdate u;
    u.app_env = ae;
    u.stack = web.front().stack;
    u.service = web.front().service;
    u.instances = web;
    u.health_path = health_path;
    switch_proxy(u);
}

void ServerOps::mark_routed(std::vector<Instance>& instances) {
    if (std::none_of(instances.begin(), instances.end(),
                     [](const auto& i) { return i.port > 0; })) {
        return;
    }
    std::set<std::pair<AppEnv, int>> live; // (app env, port)
    for (const proxy::EnvRoutes& e : read_routes()) {
        for (const auto& [target, up] : e.services) {
            for (int port : up.ports) {
                live.insert({e.app_env, port});
            }
        }
    }
    for (Instance& i : instances) {
        i.routed = i.port > 0 && live.count({i.app_env, i.port});
    }
}

} // namespace wm::rack
