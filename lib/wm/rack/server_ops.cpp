// ServerOps: construction, running steps, and readiness (layout, runsvdir, the proxy service).
#include <wm/base/error.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/runtime/commands.hpp>

#include <algorithm>
#include <iterator>

namespace wm::rack {

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

transport::RunResult ServerOps::run_cancellable(const std::string& step, const std::string& command,
                                                transport::RunOptions options) {
    options.cancel = m_options.cancel;
    transport::RunResult r = m_transport.run(command, options);
    if (r.cancelled) {
        throw interrupted_error().with_step(step).with_server(server());
    }
    return r;
}

void ServerOps::fail_step(const std::string& step, const std::string& message) {
    throw Error(message).with_step(step).with_server(server());
}

void ServerOps::ensure_ready() {
    run("prepare layout", prepare_layout_command(m_layout));
    if (m_layer == runtime::WritableLayer::overlay && !is_root()) {
        m_layer = runtime::WritableLayer::tmp_only;
        m_reporter.warn("not root: instances get a read-only /app (writable /tmp only)", server());
    }
    check_proxy_ports(); // before runsvdir may start our proxy next to a foreign one
    auto r = run("start runsvdir", ensure_runsvdir_command(m_layout));
    if (r.out.rfind("started", 0) == 0) {
        m_reporter.info("started runsvdir over " + m_layout.service_dir(), server());
    }
    install_proxy_service();
    apply_proxy(std::nullopt);
}

void ServerOps::preflight(const std::vector<Need>& all) {
    // This machine's tools may come from anywhere but dpkg: only commands are looked for here.
    std::vector<Need> needs;
    std::copy_if(all.begin(), all.end(), std::back_inserter(needs),
                 [&](const Need& n) { return !m_options.local || !n.command.empty(); });
    if (m_options.isolate_network && is_root()) {
        needs.push_back(network_need());
    }
    auto r = run("preflight", preflight_command(needs));
    std::vector<size_t> missing = parse_missing(r.out, needs.size());
    if (!missing.empty()) {
        fail_step("preflight",
                  missing_message(needs[missing.front()], m_options.rack, m_options.local));
    }
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
        fail_step("proxy", port_in_use_message(first));
    }
}

void ServerOps::install_proxy_service() {
    const Layout& l = m_layout;
    if (m_transport.run(file_exists_command(l.instance_dir("proxy") + "/run")).ok()) {
        return;
    }
    std::string staging = l.instance_dir(".proxy");
    run("install proxy", stage_proxy_command(staging));
    m_transport.write_file(staging + "/run", render_proxy_run(l), 0755);
    m_transport.write_file(staging + "/log/run", runtime::render_log_run(l.log_dir("proxy")), 0755);
    m_transport.write_file(l.log_dir("proxy") + "/config", runtime::render_log_config());
    // Caddy needs a config before its first start; the reload below brings the real one.
    if (!m_transport.run(file_exists_command(l.caddyfile())).ok()) {
        m_transport.write_file(l.caddyfile(), proxy::render_caddyfile(proxy_settings(), {}));
    }
    run("install proxy", install_proxy_command(l, staging));
}

} // namespace wm::rack
