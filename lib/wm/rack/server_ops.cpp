#include <wm/base/error.hpp>
#include <wm/base/process.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/runtime/commands.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <sstream>

namespace wm::rack {

namespace {

std::string q(const std::string& s) { return shell_quote(s); }

std::string last_lines(const std::string& text, int n) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    size_t from = lines.size() > static_cast<size_t>(n) ? lines.size() - n : 0;
    std::string out;
    for (size_t i = from; i < lines.size(); ++i) {
        out += lines[i] + "\n";
    }
    return out;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            out.push_back(line);
        }
    }
    return out;
}

/// A server-side mkdir mutex held for the lifetime of the guard.
class ServerMutex {
  public:
    ServerMutex(transport::Transport& t, std::string dir, const std::string& step)
        : m_transport(t), m_dir(std::move(dir)) {
        transport::run_checked(t, step, runtime::mutex_acquire_command(m_dir, 45));
    }
    ~ServerMutex() {
        try {
            m_transport.run(runtime::mutex_release_command(m_dir));
        } catch (...) {
            // the mutex goes stale and is broken after 30 s
        }
    }
    ServerMutex(const ServerMutex&) = delete;
    ServerMutex& operator=(const ServerMutex&) = delete;

  private:
    transport::Transport& m_transport;
    std::string m_dir;
};

} // namespace

ServerOps::ServerOps(transport::Transport& t, Layout layout, Reporter& reporter,
                     ServerOptions options)
    : m_transport(t), m_layout(std::move(layout)), m_reporter(reporter),
      m_options(std::move(options)), m_layer(m_options.layer) {
    if (!m_options.local_pid_alive) {
        m_options.local_pid_alive = local_pid_alive;
    }
}

std::chrono::system_clock::time_point ServerOps::now() const {
    return m_options.clock ? m_options.clock->now() : m_system_clock.now();
}

transport::RunResult ServerOps::run(const std::string& step, const std::string& command,
                                    const transport::RunOptions& options) {
    return transport::run_checked(m_transport, step, command, options);
}

void ServerOps::fail_step(const std::string& step, const std::string& message) {
    throw Error(message).with_context("step " + step).with_context("server " + server());
}

// ---- readiness -------------------------------------------------------------------------------

void ServerOps::ensure_ready() {
    const Layout& l = m_layout;
    run("prepare layout", "mkdir -p " + q(l.slugs_dir()) + " " + q(l.root + "/envs") + " " +
                              q(l.service_dir()) + " " + q(l.logs_dir() + "/proxy") + " " +
                              q(l.proxy_routes_dir()) + " " + q(l.proxy_dir() + "/data") + " " +
                              q(l.locks_dir()));
    if (m_layer == runtime::WritableLayer::overlay && run("prepare layout", "id -u").out != "0\n") {
        m_layer = runtime::WritableLayer::tmp_only;
        m_reporter.warn("not root: instances get a read-only /app (writable /tmp only)", server());
    }
    check_proxy_ports(); // before runsvdir may start our proxy next to a foreign one
    auto r = run("start runsvdir", ensure_runsvdir_command(l));
    if (r.out.rfind("started", 0) == 0) {
        m_reporter.info("started runsvdir over " + l.service_dir(), server());
    }
    install_proxy_service();
    apply_proxy(std::nullopt);
}

void ServerOps::check_proxy_ports() {
    std::vector<int> ports = {m_options.http_port};
    if (m_options.https_port > 0) {
        ports.push_back(m_options.https_port);
    }
    auto r =
        run("proxy",
            runtime::foreign_listeners_command(ports, " --config " + m_layout.caddyfile() + " "));
    std::string first = r.out.substr(0, r.out.find('\n'));
    if (!first.empty()) {
        size_t sp = first.find(' ');
        fail_step("proxy", fmt::format("port {} is already in use by another process (pid {}); "
                                       "stop it or give the rack another port",
                                       first.substr(0, sp),
                                       first.substr(sp + 1, first.find(' ', sp + 1) - sp - 1)) +
                               "\n  " + first);
    }
}

void ServerOps::install_proxy_service() {
    const Layout& l = m_layout;
    std::string dir = l.instance_dir("proxy");
    auto r = m_transport.run("test -f " + q(dir + "/run"));
    if (r.ok()) {
        return;
    }
    std::string staging = l.instance_dir(".proxy");
    run("install proxy", "rm -rf " + q(staging) + " && mkdir -p " + q(staging + "/log"));
    m_transport.write_file(staging + "/run", render_proxy_run(l), 0755);
    m_transport.write_file(staging + "/log/run", runtime::render_log_run(l.log_dir("proxy")), 0755);
    m_transport.write_file(l.log_dir("proxy") + "/config", runtime::render_log_config());
    // Caddy needs a config before its first start; the reload below brings the real one.
    if (!m_transport.run("test -f " + q(l.caddyfile())).ok()) {
        m_transport.write_file(l.caddyfile(),
                               proxy::render_caddyfile({m_options.http_port, m_options.https_port,
                                                        m_options.tls_internal, l.admin_socket(),
                                                        l.proxy_dir() + "/data"},
                                                       {}));
    }
    run("install proxy", "mv " + q(staging) + " " + q(dir) + "\n" + poke_runsvdir_command(l));
}

// ---- proxy -----------------------------------------------------------------------------------

std::vector<proxy::EnvRoutes> ServerOps::read_routes() {
    auto r = run("read proxy routes",
                 "for f in " + q(m_layout.proxy_routes_dir()) +
                     "/*.json; do [ -f \"$f\" ] && { cat \"$f\"; echo; }; done; true");
    std::vector<proxy::EnvRoutes> out;
    for (const std::string& line : split_lines(r.out)) {
        try {
            out.push_back(proxy::env_routes_from_json(nlohmann::json::parse(line)));
        } catch (const nlohmann::json::exception& e) {
            fail_step("read proxy routes", std::string("malformed route record: ") + e.what());
        }
    }
    return out;
}

void ServerOps::apply_proxy(const std::optional<proxy::EnvRoutes>& changed) {
    const Layout& l = m_layout;
    const std::string step = "switch proxy";
    ServerMutex mutex(m_transport, l.proxy_dir() + "/.switch.lock", step);
    std::vector<proxy::EnvRoutes> envs = read_routes();
    if (changed) {
        std::erase_if(envs, [&](const auto& e) { return e.env == changed->env; });
        envs.push_back(*changed);
    }
    proxy::ProxySettings settings{m_options.http_port, m_options.https_port, m_options.tls_internal,
                                  l.admin_socket(), l.proxy_dir() + "/data"};
    std::string next = l.caddyfile() + ".next";
    m_transport.write_file(next, proxy::render_caddyfile(settings, envs));
    std::string caddy = caddy_command(l);
    auto v = m_transport.run(caddy + " validate --config " + q(next) + " --adapter caddyfile");
    if (!v.ok()) {
        fail_step(step, "rendered Caddyfile is invalid:\n" + last_lines(v.out + v.err, 20));
    }
    // The admin socket appears once Caddy runs (runsvdir starts a new service within ~1 s).
    std::string file = q(l.caddyfile()), prev = q(l.caddyfile() + ".prev");
    auto r = m_transport.run(
        "{ [ ! -f " + file + " ] || cp " + file + " " + prev + "; } && mv " + q(next) + " " + file +
        " && i=0 && while [ ! -S " + q(l.admin_socket()) +
        " ] && [ $i -lt 150 ]; do i=$((i + 1)); sleep 0.1; done; " + caddy + " reload --config " +
        file + " --adapter caddyfile --address unix/" + l.admin_socket());
    if (!r.ok()) {
        m_transport.run("[ ! -f " + prev + " ] || mv " + prev + " " + file);
        fail_step(step, "caddy reload failed:\n" + last_lines(r.out + r.err, 10) + "proxy log:\n" +
                            tail_log("proxy", 20));
    }
    // Stored only once Caddy took it: if wm dies before this line, the next render goes back to
    // the old routes, whose instances are still running (they are stopped after the switch).
    if (changed) {
        m_transport.write_file(l.proxy_routes_dir() + "/" + changed->env + ".json",
                               proxy::to_json(*changed).dump() + "\n");
    }
}

void ServerOps::switch_proxy(const RouteUpdate& u) {
    std::vector<proxy::EnvRoutes> envs = read_routes();
    proxy::EnvRoutes routes;
    for (auto& e : envs) {
        if (e.env == u.env) {
            routes = e;
        }
    }
    routes.env = u.env;
    routes.alias_host = m_options.alias_domain.empty() ? "" : u.env + "." + m_options.alias_domain;
    std::string target = u.stack + "." + u.service;
    proxy::Upstreams up;
    up.health_path = u.health_path;
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
    apply_proxy(routes);
    m_reporter.info(fmt::format("proxy routes {} to {} instance(s)", target, up.ports.size()),
                    server());
}

void ServerOps::switch_proxy(const std::string& env, const std::vector<Instance>& web,
                             const std::string& health_path) {
    if (web.empty()) {
        fail_step("switch proxy", "no web instances to route " + env + " to");
    }
    RouteUpdate u;
    u.env = env;
    u.stack = web.front().stack;
    u.service = web.front().service;
    u.instances = web;
    u.health_path = health_path;
    switch_proxy(u);
}

} // namespace wm::rack
