#pragma once
// DRAFT CONTRACT (lead): operations on ONE rack server, each a few remote commands through a
// Transport. ops/deploy calls these in order for every server (through rack/fanout). The
// "runtime" helper implements and may refine this (additive changes; tell the "deploy" helper via
// /work/notes/server_ops.md). Remote command text comes from pure builders in lib/wm/runtime
// and lib/wm/proxy, tested by exact text.

#include <wm/base/reporter.hpp>
#include <wm/manifest/manifest.hpp>
#include <wm/rack/layout.hpp>
#include <wm/transport/transport.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wm::rack {

/// One supervised process of a service on this server.
struct Instance {
    std::string env, stack, service;
    int version = 0;  ///< release it runs
    int index = 0;    ///< 1-based within the service
    int port = 0;     ///< $PORT (web services), 0 for workers
    std::string name; ///< runit service dir name, e.g. production.web.web.v3.1
    std::string state; ///< "run", "down", ... (from sv status)
    int uptime_seconds = 0;
    int restarts = 0;
};

/// What to start for one stack release on this server.
struct StartPlan {
    std::string env, stack;
    int version = 0;
    std::vector<manifest::ServiceSpec> services; ///< commands resolved, instance counts final
};

/// The deploy lease of an environment (stored in locks/<env>.lock on the server).
struct Lease {
    std::string holder;  ///< user@control-host
    std::string control_host;
    int pid = 0;
    std::string started, expires; ///< RFC 3339 UTC
    std::string what;    ///< "deploy production web@abc1234"
};

/// Server-side steps of a deployment on one server.
class ServerOps {
  public:
    ServerOps(transport::Transport& t, Layout layout, Reporter& reporter);

    /// Creates the layout and (local rack) starts runsvdir and the proxy if they are not running.
    void ensure_ready();
    /// Takes the environment's lease; throws Error showing the holder if held and not expired
    /// (a holder whose pid is dead on the same control host counts as expired).
    void acquire_lease(const std::string& env, const Lease& lease);
    void release_lease(const std::string& env);
    std::optional<Lease> read_lease(const std::string& env);

    bool has_slug(const std::string& sha256);
    void upload_slug(const std::filesystem::path& local, const std::string& sha256);
    /// Highest v<N> under releases/ plus one (0 when none).
    int next_version(const std::string& env, const std::string& stack);
    /// Unpacks the slug into releases/v<N>/app and writes release.json beside it.
    void unpack_release(const std::string& env, const std::string& stack, int version,
                        const std::string& sha256, const nlohmann::json& release_json);
    /// Writes the stack's config as a 0600 envdir (values never appear in command text).
    void write_config(const std::string& env, const std::string& stack, int version,
                      const std::map<std::string, std::string>& config);
    /// Runs the release command once from the release with the stack's config; returns the result.
    transport::RunResult run_release_command(const std::string& env, const std::string& stack,
                                             int version, const std::string& command);
    /// Starts a fresh instance set on fresh ports (old instances keep running).
    std::vector<Instance> start_instances(const StartPlan& plan);
    /// Waits until every instance is healthy (web: HTTP check; worker: up, not restarting);
    /// throws Error with the check's answer and the last log lines otherwise.
    void wait_healthy(const std::vector<Instance>& instances, const manifest::HealthCheck& check);
    /// Renders and gracefully reloads the proxy so the environment's routes use `web` instances.
    void switch_proxy(const std::string& env, const std::vector<Instance>& web_instances);
    /// Drains and stops instances (and removes their service dirs).
    void stop_instances(const std::vector<Instance>& instances);
    /// Every instance on this server (optionally of one environment), with live state.
    std::vector<Instance> list_instances(const std::string& env = "");
    /// Stores deployment v<N>'s record and output on the server.
    void record_deployment(const std::string& env, const std::string& stack, int version,
                           const nlohmann::json& record, const std::string& log);
    /// Removes releases beyond `keep` for this env+stack only (never the running one).
    void prune_releases(const std::string& env, const std::string& stack, int keep, int current);

  private:
    transport::Transport& m_transport;
    Layout m_layout;
    Reporter& m_reporter;
};

} // namespace wm::rack
