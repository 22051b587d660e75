#include <wm/base/error.hpp>
#include <wm/ops/rack_server.hpp>
#include <wm/rack/reconcile.hpp>
#include <wm/state/store.hpp>
#include <wm/transport/counting.hpp>

#include <fmt/format.h>

namespace wm::ops {

namespace {

bool internal_domain(const std::string& domain) {
    for (const char* suffix : {".test", ".internal", ".local", ".localhost", "localhost"}) {
        std::string s(suffix);
        if (domain.size() >= s.size() &&
            domain.compare(domain.size() - s.size(), s.size(), s) == 0) {
            return true;
        }
    }
    return false;
}

rack::ServerOptions options_for(const PlannedServer& server, const std::string& control_host) {
    rack::ServerOptions o;
    o.http_port = server.http_port;
    o.https_port = server.https_port;
    o.alias_domain = server.alias_domain.empty() ? "localhost" : server.alias_domain;
    o.tls_internal = internal_domain(o.alias_domain);
    o.control_host = control_host;
    o.rack = server.rack;
    o.local = server.local;
    o.isolate_network = !server.local;
    return o;
}

// Forwards every step to rack::ServerOps; owns the transport it runs on.
class RackServer : public Server {
  public:
    RackServer(std::unique_ptr<transport::Transport> t, rack::Layout layout, Reporter& reporter,
               rack::ServerOptions options)
        : m_transport(std::make_unique<transport::CountingTransport>(std::move(t))),
          m_name(m_transport->name()), m_ops(*m_transport, layout, reporter, std::move(options)),
          m_build(*m_transport, layout, reporter) {}

    const std::string& name() const override { return m_name; }
    rack::ServerOps& ops() { return m_ops; }
    long round_trips() const override { return m_transport->round_trips(); }
    void ensure_ready() override { m_ops.ensure_ready(); }
    void preflight(const std::vector<rack::Need>& needs) override { m_ops.preflight(needs); }
    void check_alias(const AppEnv& ae) override { m_ops.check_alias(ae); }
    void acquire_lease(const AppEnv& ae, const rack::Lease& lease) override {
        m_ops.acquire_lease(ae, lease);
    }
    void release_lease(const AppEnv& ae) override { m_ops.release_lease(ae); }
    std::optional<rack::Lease> read_lease(const AppEnv& ae) override {
        return m_ops.read_lease(ae);
    }
    bool has_slug(const std::string& sha256) override { return m_build.has_valid_slug(sha256); }
    rack::BuiltSlug build_slug(const rack::BuildJob& job, const rack::FinishFn& finish) override {
        return m_build.build(job, finish);
    }
    rack::SlugOffer offer_slugs(const std::string& id, const std::string& address) override {
        return m_build.offer_slugs(id, address);
    }
    void withdraw_slugs(const rack::SlugOffer& offer) override { m_build.withdraw(offer); }
    std::uint64_t fetch_slug(const rack::SlugOffer& offer, const std::string& sha256) override {
        return m_build.fetch_slug(offer, sha256);
    }
    void upload_slug(const std::filesystem::path& local, const std::string& sha256) override {
        m_ops.upload_slug(local, sha256);
    }
    int next_version(const AppEnv& ae, const std::string& stack) override {
        return m_ops.next_version(ae, stack);
    }
    void unpack_release(const AppEnv& ae, const std::string& stack, int version,
                        const std::string& sha256, const nlohmann::json& release) override {
        m_ops.unpack_release(ae, stack, version, sha256, release);
    }
    void write_config(const AppEnv& ae, const std::string& stack, int version,
                      const std::map<std::string, std::string>& config) override {
        m_ops.write_config(ae, stack, version, config);
    }
    transport::RunResult run_release_command(const AppEnv& ae, const std::string& stack,
                                             int version, const std::string& command,
                                             std::chrono::seconds timeout) override {
        return m_ops.run_release_command(ae, stack, version, command, timeout);
    }
    std::vector<rack::Instance> start_instances(const rack::StartPlan& plan) override {
        return m_ops.start_instances(plan);
    }
    void wait_healthy(const std::vector<rack::Instance>& instances,
                      const manifest::HealthCheck& check) override {
        m_ops.wait_healthy(instances, check);
    }
    void switch_proxy(const AppEnv& ae, const std::string& stack,
                      const std::vector<rack::Instance>& web,
                      const std::string& health_path) override {
        rack::RouteUpdate update;
        update.app_env = ae;
        update.stack = stack;
        update.instances = web;
        update.health_path = health_path;
        m_ops.switch_proxy(update);
    }
    void stop_instances(const std::vector<rack::Instance>& instances) override {
        m_ops.stop_instances(instances);
    }
    std::vector<rack::Instance> list_instances(const AppEnv& ae) override {
        return m_ops.list_instances(ae);
    }
    void record_deployment(const AppEnv& ae, const std::string& stack, int version,
                           const Deployment& record, const std::string& log) override {
        m_ops.record_deployment(ae, stack, version, record, log);
    }
    std::vector<Deployment> read_deployments(const AppEnv& ae, const std::string& stack) override {
        return m_ops.read_deployments(ae, stack);
    }
    std::vector<int> list_releases(const AppEnv& ae, const std::string& stack) override {
        return m_ops.list_releases(ae, stack);
    }
    std::optional<Deployment> read_deployment(const AppEnv& ae, const std::string& stack,
                                              int version, std::string* log) override {
        return m_ops.read_deployment(ae, stack, version, log);
    }
    std::vector<int> prune_releases(const AppEnv& ae, const std::string& stack, int keep,
                                    int current) override {
        return m_ops.prune_releases(ae, stack, keep, current);
    }
    std::vector<rack::LogLine> read_logs(const rack::LogQuery& query) override {
        return m_ops.read_logs(query);
    }
    void log_event(const AppEnv& ae, const std::string& stack, const std::string& what,
                   const std::string& instance, const std::string& text) override {
        m_ops.log_events(ae, rack::event_line(stack, what, instance, text));
    }
    transport::RunResult run_oneoff(const rack::OneOff& run,
                                    const transport::RunOptions& options) override {
        return m_ops.run_oneoff(run, options);
    }

    std::map<std::string, std::string> read_config_store(const AppEnv& ae,
                                                         const std::string& stack) override {
        return m_ops.read_config_store(ae, stack);
    }
    std::string hash_key(const AppEnv& ae) override { return m_ops.hash_key(ae); }
    void change_config_store(const AppEnv& ae, const std::string& stack,
                             const rack::ConfigChanges& changes) override {
        m_ops.change_config_store(ae, stack, changes);
    }
    nlohmann::json read_release_json(const AppEnv& ae, const std::string& stack,
                                     int version) override {
        return m_ops.read_release_json(ae, stack, version);
    }
    rack::ScaleSettings read_scale(const AppEnv& ae, const std::string& stack) override {
        return m_ops.read_scale(ae, stack);
    }
    void write_scale(const AppEnv& ae, const std::string& stack,
                     const rack::ScaleSettings& settings) override {
        m_ops.write_scale(ae, stack, settings);
    }

  private:
    std::unique_ptr<transport::CountingTransport> m_transport;
    std::string m_name;
    rack::ServerOps m_ops;
    rack::BuildHost m_build;
};

// Leftovers never outlive the next contact: every connection releases the leases of deploys
// that have ended and stops the instances nothing owns there (rack/reconcile.hpp), and says
// so. Best effort: a failure is a warning.
void reconcile(rack::ServerOps& ops, const std::string& server, Reporter& reporter) {
    try {
        rack::ServerOps::Reconciled done = ops.reconcile(server);
        for (const auto& released : done.released) {
            reporter.report({"reconciled", released, server, {{"released_lease", true}}});
        }
        if (!done.stopped.empty()) {
            reporter.report({"reconciled",
                             fmt::format("stopped {} instance(s) that no deployment owns: {}",
                                         done.stopped.size(), fmt::join(done.stopped, ", ")),
                             server,
                             {{"stopped", done.stopped}}});
        }
    } catch (const Error& e) {
        reporter.warn("leftover instances not checked: " + e.describe(), server);
    }
}

} // namespace

RackConnector::RackConnector(std::filesystem::path state_dir, transport::SshOptions ssh,
                             std::string control_host, const Cancellation* cancel)
    : m_state_dir(std::move(state_dir)), m_ssh(std::move(ssh)),
      m_control_host(std::move(control_host)), m_cancel(cancel) {}

std::unique_ptr<Server> RackConnector::connect(const PlannedServer& server, Reporter& reporter) {
    rack::ServerOptions options = options_for(server, m_control_host);
    options.cancel = m_cancel;
    if (server.local) {
        rack::Layout layout{state::Store(m_state_dir).local_rack_root().string()};
        auto s = std::make_unique<RackServer>(transport::connect_local(server.name), layout,
                                              reporter, options);
        reconcile(s->ops(), server.name, reporter);
        return s;
    }
    auto s = std::make_unique<RackServer>(transport::connect(server.ssh, m_ssh, reporter),
                                          rack::Layout{}, reporter, options);
    reconcile(s->ops(), server.name, reporter);
    return s;
}

} // namespace wm::ops
