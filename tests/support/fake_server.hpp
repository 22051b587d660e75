#pragma once
// Fakes of ops' seams for orchestration tests: servers that keep their state in memory and log
// every call, a builder returning a fixed slug, a journal keeping records. Header-only so any
// tests/unit/<module> executable can include it. What a fake says (errors, names) comes from the
// product's own builders (rack/server_commands.hpp, transport.hpp), never from text made up here.

#include <wm/base/error.hpp>
#include <wm/ops/env.hpp>
#include <wm/ops/server.hpp>
#include <wm/rack/retention.hpp>
#include <wm/rack/server_commands.hpp>

#include <fmt/format.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace wm::test {

/// In-memory state of one fake server; tests set `fail_step` to make a step throw.
struct FakeServerState {
    std::string name;
    std::set<std::string> slugs;
    int next_version = 0;
    std::vector<rack::Instance> instances;
    std::optional<rack::Lease> lease;
    std::map<std::string, std::vector<rack::Instance>> routes; ///< "<app>/<env>.<stack>" -> web
    std::map<int, std::pair<Deployment, std::string>> deployments;
    std::set<int> unpacked; ///< unpacked versions (unpack_release adds, prune_releases removes)
    std::vector<std::string> calls; ///< "upload_slug abc", "start_instances v1", ...
    std::string fail_step;          ///< method name that throws
    std::set<std::string> missing;  ///< commands (or packages) preflight finds absent
    std::string rack;               ///< the plan's rack, set on connect (preflight's remedy)
    int release_exit_code = 0;
    std::vector<rack::LogLine> logs; ///< what read_logs answers (filtered by the query)
    int run_exit_code = 0;           ///< what run_oneoff exits with
    int port = 20000;
    std::string hash_key = "fake hash key"; ///< what hash_key answers
    /// Config stores by "<app>/<env>" (app env's) or "<app>/<env>/<stack>".
    std::map<std::string, std::map<std::string, std::string>> config;
    std::map<std::string, rack::ScaleSettings> scale;                 ///< by "<app>/<env>/<stack>"
    std::map<int, nlohmann::json> releases;                           ///< release.json by version
    std::map<int, std::map<std::string, std::string>> release_config; ///< env of v<N>
};

/// A Server over a FakeServerState (owned by the test, so it outlives the Fleet).
class FakeServer : public ops::Server {
  public:
    explicit FakeServer(FakeServerState& s) : m_s(s) {}

    const std::string& name() const override { return m_s.name; }
    /// Every logged call is one round trip.
    long round_trips() const override { return static_cast<long>(m_s.calls.size()); }
    void ensure_ready() override { call("ensure_ready"); }
    /// Every need whose command or package is in `missing` is absent, as the real check says.
    void preflight(const std::vector<rack::Need>& needs) override {
        call("preflight");
        for (const rack::Need& n : needs) {
            if (m_s.missing.count(n.command.empty() ? n.package : n.command) > 0) {
                throw Error(rack::missing_message(n, m_s.rack, false)).with_step("preflight");
            }
        }
    }
    void check_alias(const AppEnv& ae) override { call("check_alias " + ae.path()); }
    void acquire_lease(const AppEnv& ae, const rack::Lease& lease) override {
        call("acquire_lease " + ae.path());
        if (m_s.lease && m_s.lease->pid != lease.pid) {
            throw Error(rack::lease_held_message(ae, *m_s.lease)).with_step("deploy lease");
        }
        m_s.lease = lease;
    }
    void release_lease(const AppEnv& ae) override {
        call("release_lease " + ae.path());
        m_s.lease.reset();
    }
    std::optional<rack::Lease> read_lease(const AppEnv&) override { return m_s.lease; }
    bool has_slug(const std::string& sha256) override { return m_s.slugs.count(sha256) > 0; }
    void upload_slug(const std::filesystem::path&, const std::string& sha256) override {
        call("upload_slug " + sha256);
        m_s.slugs.insert(sha256);
    }
    rack::BuiltSlug build_slug(const rack::BuildJob& job, const rack::FinishFn& finish) override {
        call("build_slug " + job.stack);
        rack::BuiltSlug out{"sha-built-" + job.stack, 1000, {}, false};
        for (const auto& [path, content] : finish(out.release_outputs)) {
            call("build_slug file " + path);
        }
        m_s.slugs.insert(out.sha256);
        return out;
    }
    rack::SlugOffer offer_slugs(const std::string& id, const std::string& address) override {
        call("offer_slugs " + id + " " + address);
        return {id, 30001, std::string(32, 'a'), {address}};
    }
    void withdraw_slugs(const rack::SlugOffer& offer) override {
        call("withdraw_slugs " + offer.id);
    }
    /// Records the fetch (from the offer's first address); the slug is then here.
    std::uint64_t fetch_slug(const rack::SlugOffer& offer, const std::string& sha256) override {
        call("fetch_slug " + sha256 + " from " + offer.addresses.front());
        m_s.slugs.insert(sha256);
        return 205;
    }
    int next_version(const AppEnv&, const std::string&) override { return m_s.next_version; }
    void unpack_release(const AppEnv&, const std::string&, int version, const std::string&,
                        const nlohmann::json& release) override {
        call(fmt::format("unpack_release v{}", version));
        m_s.releases[version] = release;
        m_s.next_version = std::max(m_s.next_version, version + 1);
        m_s.unpacked.insert(version);
    }
    void write_config(const AppEnv&, const std::string&, int version,
                      const std::map<std::string, std::string>& config) override {
        call(fmt::format("write_config v{} ({} vars)", version, config.size()));
        m_s.release_config[version] = config;
    }
    transport::RunResult run_release_command(const AppEnv&, const std::string&, int version,
                                             const std::string& command,
                                             std::chrono::seconds) override {
        call(fmt::format("run_release_command v{} {}", version, command));
        return {m_s.release_exit_code, false, "migrating\n", ""};
    }
    std::vector<rack::Instance> start_instances(const rack::StartPlan& plan) override;
    /// With fail_step "wait_healthy", every web instance answers 503, as the real check says.
    void wait_healthy(const std::vector<rack::Instance>& instances,
                      const manifest::HealthCheck& check) override {
        m_s.calls.push_back(fmt::format("wait_healthy {} {}", instances.size(), check.path));
        if (m_s.fail_step != "wait_healthy") {
            return;
        }
        std::string details;
        for (const auto& i : instances) {
            details += rack::unhealthy_instance_message(
                {i.name, i.port, "answered 503", check.path, check.timeout_seconds,
                 fmt::format("stacks.{}.services.{}.health", i.stack, i.service), ""});
        }
        throw Error(rack::unhealthy_message(instances.size(), instances.size(), false, details))
            .with_step("health check");
    }
    void switch_proxy(const AppEnv& ae, const std::string& stack,
                      const std::vector<rack::Instance>& web, const std::string&) override {
        call(fmt::format("switch_proxy {}.{} {}", ae.path(), stack, names_of(web)));
        m_s.routes[ae.path() + "." + stack] = web;
    }
    void stop_instances(const std::vector<rack::Instance>& instances) override;
    std::vector<rack::Instance> list_instances(const AppEnv& ae) override {
        std::vector<rack::Instance> out;
        for (const auto& i : m_s.instances) {
            if (i.app_env == ae) {
                out.push_back(i);
            }
        }
        return out;
    }
    void record_deployment(const AppEnv&, const std::string&, int version, const Deployment& record,
                           const std::string& log) override {
        call(fmt::format("record_deployment v{} {}", version, record.status));
        m_s.deployments[version] = {record, log};
    }
    std::vector<Deployment> read_deployments(const AppEnv&, const std::string&) override {
        std::vector<Deployment> out;
        for (const auto& [v, record] : m_s.deployments) {
            out.push_back(record.first);
        }
        return out;
    }
    std::vector<int> list_releases(const AppEnv&, const std::string&) override {
        return {m_s.unpacked.begin(), m_s.unpacked.end()};
    }
    std::optional<Deployment> read_deployment(const AppEnv&, const std::string&, int version,
                                              std::string* log) override {
        auto it = m_s.deployments.find(version);
        if (it == m_s.deployments.end()) {
            return std::nullopt;
        }
        if (log) {
            *log = it->second.second;
        }
        return it->second.first;
    }
    std::vector<int> prune_releases(const AppEnv&, const std::string&, int keep,
                                    int current) override {
        call(fmt::format("prune_releases keep {} current v{}", keep, current));
        std::vector<Deployment> records;
        for (const auto& [v, record] : m_s.deployments) {
            records.push_back(record.first);
        }
        std::set<int> retain = rack::retained_versions(records, keep, current);
        std::vector<int> removed;
        for (int v : m_s.unpacked) {
            if (!retain.count(v)) {
                removed.push_back(v);
            }
        }
        for (int v : removed) {
            m_s.unpacked.erase(v);
        }
        return removed;
    }

    std::map<std::string, std::string> read_config_store(const AppEnv& ae,
                                                         const std::string& stack) override {
        return m_s.config[store_key(ae, stack)];
    }
    /// Not a logged call: every deploy asks, and the call sequences tests check predate it.
    std::string hash_key(const AppEnv&) override { return m_s.hash_key; }
    void change_config_store(const AppEnv& ae, const std::string& stack,
                             const rack::ConfigChanges& changes) override {
        std::string names;
        auto& store = m_s.config[store_key(ae, stack)];
        for (const auto& [name, value] : changes) {
            names += (names.empty() ? "" : ",") + name;
            if (value) {
                store[name] = *value;
            } else {
                store.erase(name);
            }
        }
        call(fmt::format("change_config_store {} {}", store_key(ae, stack), names));
    }
    nlohmann::json read_release_json(const AppEnv&, const std::string&, int version) override {
        auto it = m_s.releases.find(version);
        if (it == m_s.releases.end()) {
            fail("no release v{}", version);
        }
        return it->second;
    }
    rack::ScaleSettings read_scale(const AppEnv& ae, const std::string& stack) override {
        return m_s.scale[store_key(ae, stack)];
    }
    void write_scale(const AppEnv& ae, const std::string& stack,
                     const rack::ScaleSettings& settings) override {
        call("write_scale " + store_key(ae, stack));
        m_s.scale[store_key(ae, stack)] = settings;
    }
    static std::string store_key(const AppEnv& ae, const std::string& stack) {
        return stack.empty() ? ae.path() : ae.path() + "/" + stack;
    }
    /// Not a logged call: the line joins `logs`, stamped by no clock ("" sorts first).
    void log_event(const AppEnv&, const std::string& stack, const std::string& what,
                   const std::string& instance, const std::string& text) override {
        m_s.logs.push_back({"", m_s.name, stack, what, instance, text});
    }
    /// The stored `logs` of the query's stack and service stamped at or after its `since`.
    std::vector<rack::LogLine> read_logs(const rack::LogQuery& query) override {
        call("read_logs " + rack::log_stamp(query.since));
        std::vector<rack::LogLine> out;
        for (const auto& l : m_s.logs) {
            bool stack = query.stack.empty() || l.stack == query.stack;
            bool service = query.service.empty() || l.service == query.service;
            if (stack && service && l.ts >= rack::log_stamp(query.since)) {
                out.push_back(l);
            }
        }
        return out;
    }
    /// Prints the command on stdout and exits with run_exit_code.
    transport::RunResult run_oneoff(const rack::OneOff& run,
                                    const transport::RunOptions& options) override {
        call(fmt::format("run_oneoff {} v{} {}", run.stack, run.version, run.command));
        if (options.on_output) {
            options.on_output(Stream::out, run.command + "\n");
        }
        return {m_s.run_exit_code, false, run.command + "\n", ""};
    }

    static std::string names_of(const std::vector<rack::Instance>& instances) {
        std::string out;
        for (const auto& i : instances) {
            out += (out.empty() ? "" : ",") + i.name;
        }
        return out;
    }

  private:
    void call(const std::string& what) {
        std::string method = what.substr(0, what.find(' '));
        m_s.calls.push_back(what);
        if (method == m_s.fail_step) {
            fail("{} failed on purpose", method);
        }
    }
    FakeServerState& m_s;
};

inline std::vector<rack::Instance> FakeServer::start_instances(const rack::StartPlan& plan) {
    call(fmt::format("start_instances v{}", plan.version));
    std::vector<rack::Instance> out;
    for (const auto& svc : plan.services) {
        int first = 1; // fresh indices after those running, as the real server picks them
        for (const auto& i : m_s.instances) {
            if (i.app_env == plan.app_env && i.stack == plan.stack && i.service == svc.name &&
                i.version == plan.version) {
                first = std::max(first, i.index + 1);
            }
        }
        for (int n = first; n < first + svc.instances; ++n) {
            rack::Instance i;
            i.app_env = plan.app_env;
            i.stack = plan.stack;
            i.service = svc.name;
            i.version = plan.version;
            i.index = n;
            i.port = svc.is_web() ? m_s.port++ : 0;
            i.name = rack::instance_name(plan.app_env, plan.stack, svc.name, plan.version, n);
            i.state = "run";
            out.push_back(i);
        }
    }
    m_s.instances.insert(m_s.instances.end(), out.begin(), out.end());
    return out;
}

inline void FakeServer::stop_instances(const std::vector<rack::Instance>& instances) {
    call("stop_instances " + names_of(instances));
    for (const auto& stop : instances) {
        std::erase_if(m_s.instances, [&](const rack::Instance& i) { return i.name == stop.name; });
    }
}

/// Connects to FakeServerStates by name; `unreachable` names fail to connect.
class FakeConnector : public ops::ServerConnector {
  public:
    std::map<std::string, FakeServerState> servers;
    std::set<std::string> unreachable;

    FakeServerState& add(const std::string& name) {
        servers[name].name = name;
        return servers[name];
    }
    std::unique_ptr<ops::Server> connect(const ops::PlannedServer& server, Reporter&) override {
        if (unreachable.count(server.name) > 0) {
            throw Error(transport::unreachable_message(server.name, 22, "no route to host"));
        }
        servers.at(server.name).rack = server.rack;
        return std::make_unique<FakeServer>(servers.at(server.name));
    }
};

/// Returns a fixed build result per call (sha256 from `commit`).
class FakeBuilder : public ops::StackBuilder {
  public:
    std::string commit = "0123456789abcdef0123456789abcdef01234567";
    std::string release_command;
    std::map<std::string, std::string> process_types{{"web", "node server.js"}};
    int builds = 0;

    build::BuildResult build(const build::BuildRequest& req, Reporter&) override {
        ++builds;
        build::BuildResult r;
        r.sha256 = "sha-" + commit.substr(0, 7) + "-" + req.stack.name;
        r.slug_path = "/slugs/" + r.sha256 + ".tar.zst";
        r.source = {commit, commit.substr(0, 7), "a change", "Dev <dev@example.test>", false};
        r.process_types = process_types;
        r.release_command = release_command;
        r.release_json = release_json_of(r);
        return r;
    }
    /// What a real build writes as release.json (read back by a re-release).
    nlohmann::json release_json_of(const build::BuildResult& r) const {
        return {{"commit", commit},
                {"short_commit", r.source.short_commit},
                {"subject", r.source.subject},
                {"author", r.source.author},
                {"process_types", process_types},
                {"release_command", release_command},
                {"slug_sha256", r.sha256}};
    }
    /// A build on a server: the server builds (FakeServer::build_slug), this returns its slug.
    build::BuildResult build_on(ops::Server& builder, const AppEnv& ae,
                                const build::BuildRequest& req, Reporter&) override {
        ++builds;
        rack::BuildJob job;
        job.app_env = ae;
        job.stack = req.stack.name;
        rack::BuiltSlug built = builder.build_slug(job, [](const std::vector<std::string>&) {
            return std::map<std::string, std::string>{};
        });
        build::BuildResult r;
        r.sha256 = built.sha256;
        r.source = {commit, commit.substr(0, 7), "a change", "Dev <dev@example.test>", false};
        r.process_types = process_types;
        r.release_command = release_command;
        r.release_json = release_json_of(r);
        return r;
    }
    std::vector<build::RunNeed> needs{{"nodejs", "node"}}; ///< every stack's run needs
    std::vector<build::RunNeed> run_needs(const build::BuildRequest&, Reporter&) override {
        return needs;
    }
};

/// Keeps journal records in memory.
class FakeJournal : public ops::Journal {
  public:
    std::vector<nlohmann::json> records; ///< as stored: to_json() of each Deployment
    void record(const Deployment& record, const std::string&) override {
        std::lock_guard lock(m_mutex);
        records.push_back(to_json(record));
    }

  private:
    std::mutex m_mutex;
};

/// A clock that only moves when slept.
class FakeClock : public Clock {
  public:
    std::chrono::system_clock::time_point t =
        std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
    std::chrono::system_clock::time_point now() const override { return t; }
    void sleep_for(std::chrono::milliseconds d) override { t += d; }
};

/// A cancellation the test trips (as Ctrl-C would).
class FakeCancellation : public Cancellation {
  public:
    bool tripped = false;
    bool requested() const override { return tripped; }
};

/// Every fake wired into an ops::Env, with servers of the given names.
struct OpsHarness {
    FakeConnector connector;
    FakeBuilder builder;
    FakeJournal journal;
    FakeClock clock;
    CaptureReporter reporter;
    FakeCancellation cancel;
    ops::Env env{reporter, clock, connector, builder, journal, {"dev", "laptop", 4242},
                 "/state", 4,     &cancel};

    explicit OpsHarness(std::initializer_list<const char*> servers) {
        for (const char* name : servers) {
            connector.add(name);
        }
    }
    std::vector<std::string>& calls(const std::string& server) {
        return connector.servers.at(server).calls;
    }
};

} // namespace wm::test
