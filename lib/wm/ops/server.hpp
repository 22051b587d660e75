#pragma once
// The steps of a deployment on one server, as ops sees them. The real implementation
// (rack_server.cpp) forwards to rack::ServerOps over a Transport; orchestration tests use a fake
// (tests/support/fake_server.hpp). Keeping this seam in ops lets deploy be tested without hosts.

#include <wm/base/reporter.hpp>
#include <wm/rack/build_host.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/transport/ssh_target.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wm::ops {

/// One server of a plan: where it is and which rack it belongs to.
struct PlannedServer {
    std::string name;         ///< display name used in every message ("local", "wmt1")
    std::string rack;         ///< rack name
    bool local = false;       ///< the embedded local rack (this machine)
    transport::SshTarget ssh; ///< rack::to_ssh_target of its ServerSpec (unused when local)
    int http_port = 80;       ///< the rack's proxy ports (resolved defaults)
    int https_port = 443;     ///< 0: HTTP only
    std::string alias_domain; ///< platform alias = <app>-<environment>.<alias_domain>
};

/// A connected server. Methods mirror rack::ServerOps (see there for the contracts), plus
/// reading back stored deployments. One thread at a time per object.
class Server {
  public:
    virtual ~Server() = default;

    virtual const std::string& name() const = 0;
    /// Requests answered by the server so far (commands and file transfers, each one round
    /// trip; transport::CountingTransport); 0 where not counted.
    virtual long round_trips() const { return 0; }
    virtual void ensure_ready() = 0;
    /// Checks the server has every one of `needs` in one round trip (rack::ServerOps::preflight).
    virtual void preflight(const std::vector<rack::Need>& needs) = 0;
    /// Refuses when another app env on the server already has `ae`'s platform alias.
    virtual void check_alias(const AppEnv& ae) = 0;
    virtual void acquire_lease(const AppEnv& ae, const rack::Lease& lease) = 0;
    virtual void release_lease(const AppEnv& ae) = 0;
    virtual std::optional<rack::Lease> read_lease(const AppEnv& ae) = 0;
    /// True when the slug is on the server and its sha256 matches (a corrupted one is removed).
    virtual bool has_slug(const std::string& sha256) = 0;
    virtual void upload_slug(const std::filesystem::path& local, const std::string& sha256) = 0;
    /// Builds on this server, the builder (rack::BuildHost::build).
    virtual rack::BuiltSlug build_slug(const rack::BuildJob& job, const rack::FinishFn& finish) = 0;
    /// Offers this server's slugs to the other servers (rack::BuildHost::offer_slugs).
    virtual rack::SlugOffer offer_slugs(const std::string& id, const std::string& address) = 0;
    /// Stops an offer of this server; never throws.
    virtual void withdraw_slugs(const rack::SlugOffer& offer) = 0;
    /// Fetches slug `sha256` from another server's offer and checks it; the bytes received.
    virtual std::uint64_t fetch_slug(const rack::SlugOffer& offer, const std::string& sha256) = 0;
    virtual int next_version(const AppEnv& ae, const std::string& stack) = 0;
    virtual void unpack_release(const AppEnv& ae, const std::string& stack, int version,
                                const std::string& sha256, const nlohmann::json& release) = 0;
    virtual void write_config(const AppEnv& ae, const std::string& stack, int version,
                              const std::map<std::string, std::string>& config) = 0;
    /// Runs the release command once; it is killed after `timeout`.
    virtual transport::RunResult run_release_command(const AppEnv& ae, const std::string& stack,
                                                     int version, const std::string& command,
                                                     std::chrono::seconds timeout) = 0;
    virtual std::vector<rack::Instance> start_instances(const rack::StartPlan& plan) = 0;
    virtual void wait_healthy(const std::vector<rack::Instance>& instances,
                              const manifest::HealthCheck& check) = 0;
    /// Routes the platform alias of `ae` to the stack's new web instances (graceful reload).
    virtual void switch_proxy(const AppEnv& ae, const std::string& stack,
                              const std::vector<rack::Instance>& web_instances,
                              const std::string& health_path) = 0;
    virtual void stop_instances(const std::vector<rack::Instance>& instances) = 0;
    virtual std::vector<rack::Instance> list_instances(const AppEnv& ae) = 0;
    virtual void record_deployment(const AppEnv& ae, const std::string& stack, int version,
                                   const Deployment& record, const std::string& log) = 0;
    /// Every stored deployment record of the app env's stack, ascending by version (one round
    /// trip: rack::ServerOps::read_deployments).
    virtual std::vector<Deployment> read_deployments(const AppEnv& ae,
                                                     const std::string& stack) = 0;
    /// Versions of the app env's stack still unpacked on the server (not pruned), ascending.
    virtual std::vector<int> list_releases(const AppEnv& ae, const std::string& stack) = 0;
    /// Deployment v<N>'s record (nullopt if missing); its output goes to `log` if given.
    virtual std::optional<Deployment> read_deployment(const AppEnv& ae, const std::string& stack,
                                                      int version, std::string* log) = 0;
    /// Removes the releases the server's records do not retain (rack::retained_versions: the
    /// newest `keep` succeeded, `current` and the succeeded one before it) and unused slugs;
    /// returns the removed versions.
    virtual std::vector<int> prune_releases(const AppEnv& ae, const std::string& stack, int keep,
                                            int current) = 0;
    // Settings that outlive deploys (`wm config`, `wm scale`): see rack::ServerOps.
    virtual std::map<std::string, std::string> read_config_store(const AppEnv& ae,
                                                                 const std::string& stack) = 0;
    virtual void change_config_store(const AppEnv& ae, const std::string& stack,
                                     const rack::ConfigChanges& changes) = 0;
    /// The app env's key for fingerprints of config that may hold secrets
    /// (rack::ServerOps::hash_key).
    virtual std::string hash_key(const AppEnv& ae) = 0;
    virtual nlohmann::json read_release_json(const AppEnv& ae, const std::string& stack,
                                             int version) = 0;
    virtual rack::ScaleSettings read_scale(const AppEnv& ae, const std::string& stack) = 0;
    virtual void write_scale(const AppEnv& ae, const std::string& stack,
                             const rack::ScaleSettings& settings) = 0;
    /// The app env's log lines that `query` selects (rack::ServerOps::read_logs).
    virtual std::vector<rack::LogLine> read_logs(const rack::LogQuery& query) = 0;
    /// Adds one line to the app env's event log (`wm logs` shows it as service `what` of
    /// `instance`, e.g. "scale", "v3"). Best effort: never throws (rack::ServerOps::log_events).
    virtual void log_event(const AppEnv& ae, const std::string& stack, const std::string& what,
                           const std::string& instance, const std::string& text) = 0;
    /// Runs a one-off command of a release; killed when wm stops waiting
    /// (rack::ServerOps::run_oneoff).
    virtual transport::RunResult run_oneoff(const rack::OneOff& run,
                                            const transport::RunOptions& options) = 0;
};

/// Opens connections to servers (SSH, or this machine for the local rack).
class ServerConnector {
  public:
    virtual ~ServerConnector() = default;
    /// Connects to `server`; throws Error naming it when it cannot be reached. The server's
    /// own events (streamed output, per-server progress) go to `reporter`.
    virtual std::unique_ptr<Server> connect(const PlannedServer& server, Reporter& reporter) = 0;
};

} // namespace wm::ops
