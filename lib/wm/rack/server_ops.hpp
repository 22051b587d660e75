#pragma once
// Operations on ONE rack server, each a few remote commands through a Transport. ops/deploy
// calls these in order for every server. Remote command text, messages and rendered files come
// from pure builders (rack/server_commands, runtime/, proxy/), tested by exact text. The methods
// live in one file per concern: server_ops.cpp (readiness), server_ops_proxy.cpp,
// server_ops_lease.cpp, server_ops_releases.cpp, server_ops_instances.cpp,
// server_ops_records.cpp, server_ops_config.cpp, server_ops_network.cpp.

#include <wm/base/cancel.hpp>
#include <wm/base/clock.hpp>
#include <wm/base/reporter.hpp>
#include <wm/deployment/deployment.hpp>
#include <wm/manifest/manifest.hpp>
#include <wm/proxy/caddyfile.hpp>
#include <wm/rack/config_store.hpp>
#include <wm/rack/file_batch.hpp>
#include <wm/rack/layout.hpp>
#include <wm/rack/lease.hpp>
#include <wm/rack/logs.hpp>
#include <wm/rack/netns.hpp>
#include <wm/rack/oneoff.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/runtime/sandbox.hpp>
#include <wm/transport/transport.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wm::rack {

/// One supervised process of a service on this server.
struct Instance {
    AppEnv app_env;
    std::string stack, service;
    int version = 0;   ///< release it runs
    int index = 0;     ///< 1-based within the service and release
    int port = 0;      ///< $PORT (web services), 0 for workers
    std::string name;  ///< runit service dir name, e.g. shop.production.web.web.v3.1
    std::string state; ///< "run", "down", "finish", "starting" (no runsv yet)
    int uptime_seconds = 0;
    int restarts = 0; ///< starts of the run script minus one
    int pid = 0;
    bool routed = false; ///< its port is in the proxy's stored routes (a live web instance)
    /// Worker health: seconds it must run without restarting (its service's health.uptime;
    /// set by start_instances, not stored on the server).
    int min_uptime_seconds = manifest::HealthCheck{}.worker_uptime();

    bool is_web() const { return service == "web"; }
};

/// What to start for one stack release on this server.
struct StartPlan {
    AppEnv app_env;
    std::string stack;
    int version = 0;
    std::vector<manifest::ServiceSpec> services; ///< commands resolved, instance counts final
};

/// How the app env's routes change when a stack's web instances switch.
struct RouteUpdate {
    AppEnv app_env;
    std::string stack;
    std::string service = "web";
    std::vector<Instance> instances; ///< the new healthy instances; empty: unpublish
    std::string health_path;         ///< configured health.path; empty: the default rule
    /// The platform alias goes to the first stack's `web` switched in (or to a stack whose alias
    /// target has no instances any more); set this to move it to this service regardless.
    bool claim_alias = false;
    std::vector<manifest::EndpointSpec> endpoints; ///< custom domains of this app env (replaces)
    bool set_endpoints = false;                    ///< false: keep the stored endpoints
};

/// Server-wide settings of ServerOps (the rack's proxy ports, who we are, knobs).
struct ServerOptions {
    int http_port = 80;
    int https_port = 443;                     ///< 0: HTTP only (the local rack)
    bool tls_internal = false;                ///< `tls internal` for test/internal alias domains
    std::string alias_domain = "localhost";   ///< platform alias = <app>-<env>.<alias_domain>
    std::string control_host;                 ///< this machine's name, compared with lease holders
    std::function<bool(int)> local_pid_alive; ///< default: kill(pid, 0)
    runtime::WritableLayer layer = runtime::WritableLayer::overlay;
    int port_min = 20000, port_max = 29999;
    /// After the switch, old web instances are stopped once no connection to them is open,
    /// or after this long at the latest (the bounded drain, rack/drain.hpp)
    std::chrono::seconds drain{2};
    std::chrono::seconds lease_ttl{600}; ///< expires = now + ttl (renew by re-acquiring)
    Clock* clock = nullptr;              ///< default: the system clock
    std::string rack;                    ///< the rack the server belongs to (for remedies)
    bool local = false;                  ///< the embedded local rack (this machine)
    /// Each app env's instances, release command and one-off runs in a network namespace of
    /// their own (rack/netns.hpp), when wm is root on the server; false: the server's network.
    bool isolate_network = false;
    /// Polled during the long waits (health check, release command): a requested cancellation
    /// throws interrupted_error() naming the server and step. nullptr: never.
    const Cancellation* cancel = nullptr;
};

/// Server-side steps of a deployment on one server. Every method names the server and the step
/// in the Error it throws (Error::server(), Error::step()).
class ServerOps {
  public:
    ServerOps(transport::Transport& t, Layout layout, Reporter& reporter,
              ServerOptions options = {});

    const Layout& layout() const { return m_layout; }
    std::string server() const { return m_transport.name(); }

    /// Creates the layout, starts runsvdir over service/ if it is not running (detached, pid
    /// in runsvdir.pid), installs the proxy service and renders + reloads its config. Not root
    /// on the server: the overlay layer needs mount rights, so instances get tmp_only.
    void ensure_ready();
    /// Checks in one round trip that the server has every one of `needs` (see
    /// server_commands.hpp); throws Error (step "preflight") with missing_message() of the first
    /// missing one, naming options.rack. On the local rack only needs with a command count.
    void preflight(const std::vector<Need>& needs);
    /// Refuses (step "prepare") when another app env on this server already has the platform
    /// alias `ae` would get (app "a-b" env "c" and app "a" env "b-c" both make "a-b-c").
    void check_alias(const AppEnv& ae);
    /// Takes the app env's lease; throws Error showing the holder if held and not expired
    /// (a holder whose pid is dead on the same control host counts as expired). Re-acquiring
    /// with the same holder, control host and pid renews it.
    void acquire_lease(const AppEnv& ae, const Lease& lease);
    /// Removes the lease (whoever holds it).
    void release_lease(const AppEnv& ae);
    std::optional<Lease> read_lease(const AppEnv& ae);

    /// What reconcile() did on this server.
    struct Reconciled {
        std::vector<std::string> released; ///< one message per stale deploy lease removed
        std::vector<std::string> stopped;  ///< instance names stopped (no deployment owns them)
    };
    /// Run first on every connection (rack/reconcile.hpp): removes the deploy leases whose
    /// holder has ended (a pid of this control host that no longer runs) or that expired, then
    /// stops the instances no record or proxy route owns, outside the app envs whose lease is
    /// live. `server` is the name the deployment records give this server. One round trip when
    /// nothing is left over. Throws Error (step "reconcile") when a command fails.
    Reconciled reconcile(const std::string& server);

    bool has_slug(const std::string& sha256);
    void upload_slug(const std::filesystem::path& local, const std::string& sha256,
                     const transport::ProgressFn& progress = {});
    /// Highest v<N> under releases/ plus one (0 when none).
    int next_version(const AppEnv& ae, const std::string& stack);
    /// Versions present under releases/, ascending.
    std::vector<int> list_releases(const AppEnv& ae, const std::string& stack);
    /// Unpacks the slug into releases/v<N>/app and writes release.json beside it (a previous
    /// partial unpack of the same version is replaced).
    void unpack_release(const AppEnv& ae, const std::string& stack, int version,
                        const std::string& sha256, const nlohmann::json& release_json);
    /// Writes the release's config as a 0600 envdir releases/v<N>/env (values never appear in
    /// command text). Replaces any previous content.
    void write_config(const AppEnv& ae, const std::string& stack, int version,
                      const std::map<std::string, std::string>& config);
    /// Runs the release command once in the sandbox of the release with its config; output is
    /// streamed to the reporter as output events and returned. Throws interrupted_error() when
    /// cancelled meanwhile.
    transport::RunResult
    run_release_command(const AppEnv& ae, const std::string& stack, int version,
                        const std::string& command,
                        std::chrono::seconds timeout = std::chrono::seconds(600));
    /// Starts a fresh instance set on fresh ports (old instances keep running). Instances of
    /// cron services are not started (not supported yet).
    std::vector<Instance> start_instances(const StartPlan& plan);
    /// Waits until every instance is healthy (web: see manifest::HealthCheck; worker: running
    /// for >= its min_uptime_seconds), up to check.timeout_seconds, giving up at once on one that
    /// keeps crashing; otherwise throws Error explaining each failed instance
    /// (unhealthy_instance_message) with its last 20 log lines, or interrupted_error() when
    /// cancelled meanwhile.
    void wait_healthy(const std::vector<Instance>& instances, const manifest::HealthCheck& check);
    /// Updates the app env's stored routes, renders the Caddyfile from every app env's routes,
    /// validates it and reloads Caddy gracefully. Refuses an alias another app env holds.
    void switch_proxy(const RouteUpdate& update);
    /// Shorthand: routes the stack's web (platform alias) to `web_instances` (non-empty).
    void switch_proxy(const AppEnv& ae, const std::vector<Instance>& web_instances,
                      const std::string& health_path = "");
    /// Drains the web instances among them (until their connections closed, at most the drain
    /// time), stops the instances and removes their service dirs (logs stay until their release
    /// is pruned).
    void stop_instances(const std::vector<Instance>& instances);
    /// Every instance on this server (optionally of one app env), with live state and whether
    /// the proxy routes to it.
    std::vector<Instance> list_instances(const std::optional<AppEnv>& only = std::nullopt);
    /// The last `lines` lines of an instance's log (svlogd `current`).
    std::string tail_log(const std::string& instance_name, int lines = 20);
    /// Stores deployment v<N>'s record and output on the server.
    void record_deployment(const AppEnv& ae, const std::string& stack, int version,
                           const Deployment& record, const std::string& log);
    /// Every stored deployment record of the app env's stack, ascending by version, in one
    /// round trip (a record that does not parse is left out; read_deployment names it).
    std::vector<Deployment> read_deployments(const AppEnv& ae, const std::string& stack);
    /// Reads deployment v<N>'s record (nullopt if missing) and log.
    std::optional<Deployment> read_deployment(const AppEnv& ae, const std::string& stack,
                                              int version, std::string* log = nullptr);
    /// Removes the app env's stack releases that retained_versions (rack/retention.hpp) does not
    /// keep for the server's own records, `keep` and `current`, never one that still has
    /// instances; then removes the slugs no release on the server uses any more
    /// (prune_slugs_command). Returns the removed versions.
    std::vector<int> prune_releases(const AppEnv& ae, const std::string& stack, int keep,
                                    int current);

    // ---- settings that outlive deploys (server_ops_config.cpp) ----
    /// The config store of `wm config` (`stack` empty: the app env's, else the stack's): name
    /// -> raw value; empty when none was set.
    std::map<std::string, std::string> read_config_store(const AppEnv& ae,
                                                         const std::string& stack);
    /// The app env's key for fingerprints of its config (hash_key_command: made on first use,
    /// kept root-only in the app env's store). Throws Error (step "config").
    std::string hash_key(const AppEnv& ae);
    /// Sets and unsets variables of that store: each value written as a 0600 file through the
    /// transport (never in command text), the store dir 0700. Throws Error (step "config").
    void change_config_store(const AppEnv& ae, const std::string& stack,
                             const ConfigChanges& changes);
    /// releases/v<N>/release.json of the stack (the slug's release facts); throws Error
    /// (step "release") when missing or malformed.
    nlohmann::json read_release_json(const AppEnv& ae, const std::string& stack, int version);
    /// The counts `wm scale` stored for the stack (empty when none).
    ScaleSettings read_scale(const AppEnv& ae, const std::string& stack);
    /// Replaces the stack's stored counts.
    void write_scale(const AppEnv& ae, const std::string& stack, const ScaleSettings& settings);
    // ---- logs and one-off runs (server_ops_logs.cpp) -------------------------------------
    /// The lines of the app env's logs that `query` selects (rack/logs.hpp), in file order.
    std::vector<LogLine> read_logs(const LogQuery& query);
    /// Appends `lines` (event_line form) to the app env's event log. Best effort: a failure is
    /// warned about, never thrown (logging must not fail a deploy).
    void log_events(const AppEnv& ae, const std::string& lines);
    /// Runs `run` in its release's sandbox with its config, streaming through `options`
    /// (ServerOptions::cancel is polled); when wm stops waiting (cancelled, timed out), the
    /// run's processes are killed. Started and exit are written to the event log.
    transport::RunResult run_oneoff(const OneOff& run, transport::RunOptions options);

  private:
    transport::RunResult run(const std::string& step, const std::string& command,
                             const transport::RunOptions& options = {});
    /// A long wait: polls the cancellation; throws interrupted_error() at `step` if it came.
    transport::RunResult run_cancellable(const std::string& step, const std::string& command,
                                         transport::RunOptions options);
    [[noreturn]] void fail_step(const std::string& step, const std::string& message);
    void check_proxy_ports();
    void install_proxy_service();
    void apply_proxy(const std::optional<proxy::EnvRoutes>& changed);
    void reload_proxy(const std::string& next);
    proxy::ProxySettings proxy_settings() const;
    std::vector<proxy::EnvRoutes> read_routes();
    std::vector<int> used_ports();
    void mark_routed(std::vector<Instance>& instances);
    /// The instance's service dir files, added to `files` (written by start_instances).
    Instance write_instance(const StartPlan& plan, const manifest::ServiceSpec& svc, Instance i,
                            std::vector<FileWrite>& files);
    std::vector<int> allocate_ports(int count);
    std::vector<std::pair<const manifest::ServiceSpec*, Instance>>
    plan_instances(const StartPlan& plan);
    std::string health_failure(const std::string& out, const std::vector<Instance>& instances,
                               const manifest::HealthCheck& check, size_t& failed);
    std::chrono::system_clock::time_point now() const;
    /// Removes `ae`'s lease when it is the stale one seen as `seen` (judged as a deploy would
    /// judge it); returns the message saying so, or "" when the lease is live and stays.
    std::string release_if_stale(const AppEnv& ae, const std::string& seen);
    bool is_root();
    /// The seccomp program's path on the server, exported for its architecture and written
    /// there on first use.
    std::string seccomp_file();
    /// The tenant of app env `ae` (allocated on first use, its /etc written, its files
    /// restricted); nullopt when wm is not root on the server.
    std::optional<sandbox::Identity> tenant(const AppEnv& ae);
    /// Sets the seccomp filter, user, /etc and network namespace of a command run from a
    /// release of `ae`.
    void confine(runtime::SandboxSpec& spec, const AppEnv& ae);
    /// The network link of app env `ae`, brought up (idempotently) on first use by this
    /// ServerOps; nullopt when options.isolate_network is off or wm is not root on the server.
    std::optional<NetLink> network(const AppEnv& ae);
    /// The address the proxy and health checks reach `ae`'s instances at.
    std::string upstream_host(const AppEnv& ae);
    /// Event log: "<what> <service> v<N>.<i>, ..." for the instances (all of `ae`).
    void log_instances(const AppEnv& ae, const std::vector<Instance>& instances,
                       const std::string& what);
    /// Event log: the release command's output and exit code.
    void log_release(const AppEnv& ae, const std::string& stack, int version,
                     const transport::RunResult& r);

    transport::Transport& m_transport;
    Layout m_layout;
    Reporter& m_reporter;
    ServerOptions m_options;
    SystemClock m_system_clock;
    runtime::WritableLayer m_layer; ///< options.layer, or tmp_only when not root on the server
    std::optional<bool> m_root;     ///< wm runs as root on the server (asked once)
    bool m_seccomp_written = false;
    std::map<std::string, sandbox::Identity> m_tenants; ///< by tenant key
    std::map<std::string, NetLink> m_links;             ///< brought up, by tenant key
};

} // namespace wm::rack
