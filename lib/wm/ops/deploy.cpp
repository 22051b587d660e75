#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/base/hash.hpp>
#include <wm/manifest/load.hpp>
#include <wm/ops/activate.hpp>
#include <wm/ops/deploy.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/lease.hpp>
#include <wm/ops/record.hpp>
#include <wm/ops/remote_build.hpp>
#include <wm/ops/settings.hpp>
#include <wm/ops/step_timing.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/source_commands.hpp>
#include <wm/state/store.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>

namespace wm::ops {

namespace {

// One stack on its way through the deploy; values only move forward.
struct StackRelease {
    std::string name;
    build::BuildResult build;
    std::string builder; ///< the server that built it and holds the slug; "": this machine
    int version = -1;
    std::vector<std::string> uploaded_to;
    std::map<std::string, std::string> servers;         ///< server -> outcome
    nlohmann::json services = nlohmann::json::object(); ///< rack -> services to run
    std::string fingerprint;                            ///< slug + services + config of every rack
    bool unchanged = false;  ///< already running everywhere: nothing was done
    std::string description; ///< DeployRequest::description
};

const manifest::StackSpec& stack_on(const PlannedRack& rack, const std::string& name) {
    for (const auto& s : rack.resolved.stacks) {
        if (s.name == name) {
            return s;
        }
    }
    fail("rack {}: stack {} is not resolved", rack.resolved.rack.name, name);
}

std::string lease_what(const DeployPlan& plan, const DeployRequest& req) {
    if (!req.description.empty()) {
        return fmt::format("{} {}", req.description, plan.environment);
    }
    return fmt::format("deploy {} {}@{}", plan.environment,
                       plan.stacks.size() == 1 ? plan.stacks.front() : "all", req.ref);
}

// "(web v7, api v3)": the versions a running deploy is making, named in its lease.
std::string versions_of(const std::vector<StackRelease>& releases) {
    std::vector<std::string> parts;
    for (const auto& r : releases) {
        parts.push_back(fmt::format("{} v{}", r.name, r.version));
    }
    return "(" + fmt::format("{}", fmt::join(parts, ", ")) + ")";
}

// What runs where, and a fingerprint that tells an identical redeploy apart. The release
// command counts: the slug no longer holds the manifest, so changing only it keeps the slug.
// The config holds the servers' secrets, and records print the fingerprint: keyed, it lets
// nobody test guesses of their values.
void describe_release(const DeployPlan& plan, StackRelease& r) {
    std::string all = r.build.sha256 + r.build.release_command + "\n";
    for (const auto& rack : plan.racks) {
        const manifest::StackSpec& stack = stack_on(rack, r.name);
        auto scale = plan.scale.find(r.name);
        nlohmann::json services = services_to_json(
            scaled(resolve_services(stack, r.build.process_types),
                   scale == plan.scale.end() ? rack::ScaleSettings{} : scale->second));
        r.services[rack.resolved.rack.name] = services;
        all += rack.resolved.rack.name + services.dump() + nlohmann::json(stack.config).dump();
    }
    r.fingerprint = fs::hmac_sha256_hex(plan.hash_key, all);
}

// True when every server runs exactly one version of the stack, that deployment succeeded
// and has the same fingerprint: then there is nothing to do (r.version is set to it).
bool already_running(Fleet& fleet, const DeployPlan& plan, StackRelease& r) {
    std::mutex mutex;
    std::set<int> versions;
    bool all_run = true;
    fleet.each("inspect", [&](Server& s) {
        std::set<int> mine;
        bool run = true;
        for (const auto& i : s.list_instances(plan.app_env())) {
            if (i.stack == r.name) {
                mine.insert(i.version);
                run = run && i.state == "run";
            }
        }
        std::lock_guard lock(mutex);
        all_run = all_run && run && mine.size() == 1;
        versions.insert(mine.begin(), mine.end());
    });
    if (!all_run || versions.size() != 1) {
        return false;
    }
    int v = *versions.begin();
    auto record = fleet.first().read_deployment(plan.app_env(), r.name, v, nullptr);
    if (!record || record->fingerprint != r.fingerprint || record->status != "succeeded") {
        return false;
    }
    r.version = v;
    r.unchanged = true;
    return true;
}

// What every server must have before anything starts there: wm's own tools, then each stack's
// run needs as its buildpacks declare them (detected on the commit; nothing is built yet).
std::vector<rack::Need> needs_of(const DeployPlan& plan, const DeployRequest& req,
                                 const std::string& builder, Env& env) {
    std::vector<rack::Need> needs = rack::base_needs();
    if (!builder.empty()) { // servers fetch slugs from the builder and from each other
        needs.push_back(rack::slug_transfer_need());
    }
    NullReporter quiet; // the build reports the same export and detection again
    for (const auto& name : plan.stacks) {
        // A dirty tree is the build's to refuse, with its own message; detection just looks.
        build::BuildRequest br{req.repo_dir,  stack_on(plan.racks.front(), name),
                               req.ref,       true,
                               env.state_dir, plan.hash_key};
        for (const build::RunNeed& n : env.builder.run_needs(br, quiet)) {
            needs.push_back({name, n.package, n.command});
        }
    }
    return needs;
}

// What the builder must have besides what every server needs.
std::vector<rack::Need> with_builder_needs(std::vector<rack::Need> needs) {
    needs.push_back(rack::source_repo_need());
    return needs;
}

// Whether an instance of one of the deployed stacks runs in the environment: what keeps
// serving when this deploy fails.
bool anything_serving(Fleet& fleet, const DeployPlan& plan) {
    std::atomic<bool> any = false;
    fleet.each("inspect", [&](Server& s) {
        for (const auto& i : s.list_instances(plan.app_env())) {
            if (std::find(plan.stacks.begin(), plan.stacks.end(), i.stack) != plan.stacks.end()) {
                any = true;
            }
        }
    });
    return any;
}

// Step 3: one slug per stack, on the builder or here (an identical earlier build is reused).
std::vector<StackRelease> build_stacks(Fleet& fleet, const DeployPlan& plan,
                                       const DeployRequest& req, const std::string& builder,
                                       Env& env) {
    std::vector<StackRelease> out;
    for (const auto& name : plan.stacks) {
        env.reporter.step(req.description.empty()
                              ? fmt::format("Building stack {} from {}{}", name, req.ref,
                                            builder.empty() ? "" : " on " + builder)
                              : fmt::format("Releasing stack {} again: {}", name, req.description));
        build::BuildRequest br{req.repo_dir,  stack_on(plan.racks.front(), name),
                               req.ref,       req.allow_dirty,
                               env.state_dir, plan.hash_key};
        // A re-release (config, scale) builds nothing: the builder of Env hands out the running
        // slug, which the rack's builder (or this machine, for local builds) still holds.
        bool build_here = builder.empty() || !req.description.empty();
        StackRelease r{
            name,
            build_here ? env.builder.build(br, env.reporter)
                       : env.builder.build_on(fleet.at(builder), plan.app_env(), br, env.reporter),
            builder,
            -1,
            {},
            {},
            {},
            {},
            false,
            req.description};
        describe_release(plan, r);
        env.reporter.info(fmt::format("slug {} ({}{})", r.build.sha256.substr(0, 12),
                                      r.build.source.short_commit,
                                      r.build.reused ? ", reused" : ""));
        out.push_back(std::move(r));
    }
    return out;
}

// Step 4 for a slug built on a server: every server that lacks it fetches it from the builder
// (over the rack network; only blocks its newest slug lacks), never through this machine.
void fetch_from_builder(Fleet& fleet, const DeployPlan& plan, StackRelease& r, Env& env) {
    std::mutex mutex;
    std::vector<std::string> lacking;
    fleet.each("slug", [&](Server& s) {
        if (!s.has_slug(r.build.sha256)) {
            std::lock_guard lock(mutex);
            lacking.push_back(s.name());
        }
    });
    if (lacking.empty()) {
        return;
    }
    Server& builder = fleet.at(r.builder);
    const PlannedServer* planned = nullptr;
    for (const PlannedServer& s : plan.servers()) {
        planned = s.name == r.builder ? &s : planned;
    }
    rack::SlugOffer offer = builder.offer_slugs(
        fmt::format("{}.{}.{}", plan.app_env().flat(), r.name, r.build.sha256.substr(0, 12)),
        planned != nullptr ? planned->ssh.address : "");
    try {
        fleet.each(
            "slug",
            [&](Server& s) {
                std::uint64_t bytes = s.fetch_slug(offer, r.build.sha256);
                env.reporter.progress(s.name(),
                                      fmt::format("slug {} fetched from {} ({} bytes)",
                                                  r.build.sha256.substr(0, 12), r.builder, bytes));
                std::lock_guard lock(mutex);
                r.uploaded_to.push_back(s.name());
            },
            lacking);
    } catch (...) {
        builder.withdraw_slugs(offer);
        throw;
    }
    builder.withdraw_slugs(offer);
}

// Step 4 for one stack: the same v<N> on every server, the slug only where missing.
void stage_stack(Fleet& fleet, const DeployPlan& plan, StackRelease& r, Env& env) {
    std::mutex mutex;
    std::vector<int> versions;
    fleet.each("version", [&](Server& s) {
        int v = s.next_version(plan.app_env(), r.name);
        std::lock_guard lock(mutex);
        versions.push_back(v);
    });
    r.version = *std::max_element(versions.begin(), versions.end());
    env.reporter.step(fmt::format("Uploading stack {} as v{}", r.name, r.version));
    if (!r.builder.empty()) {
        fetch_from_builder(fleet, plan, r, env);
    }
    for (const auto& rack : plan.racks) {
        const manifest::StackSpec& stack = stack_on(rack, r.name);
        std::vector<std::string> names;
        for (const auto& server : rack.servers) {
            names.push_back(server.name);
        }
        fleet.each(
            "upload",
            [&](Server& s) {
                if (r.builder.empty() && !s.has_slug(r.build.sha256)) {
                    s.upload_slug(r.build.slug_path, r.build.sha256);
                    std::lock_guard lock(mutex);
                    r.uploaded_to.push_back(s.name());
                }
                s.unpack_release(plan.app_env(), r.name, r.version, r.build.sha256,
                                 r.build.release_json);
                s.write_config(plan.app_env(), r.name, r.version, stack.config);
                env.reporter.progress(s.name(), fmt::format("v{} staged", r.version));
            },
            names);
    }
    std::sort(r.uploaded_to.begin(), r.uploaded_to.end());
}

// Step 5: once, on the first server of the first rack; failure changes nothing.
void run_release_command(Fleet& fleet, const DeployPlan& plan, const StackRelease& r, Env& env) {
    if (r.build.release_command.empty()) {
        return;
    }
    Server& first = fleet.at(plan.racks.front().servers.front().name);
    env.reporter.step(
        fmt::format("Running the release command of stack {} on {}", r.name, first.name()));
    int timeout = stack_on(plan.racks.front(), r.name).release_timeout_seconds;
    transport::RunResult result = first.run_release_command(
        plan.app_env(), r.name, r.version, r.build.release_command, std::chrono::seconds(timeout));
    // ServerOps streamed the output to the reporter as it came (stored in the log too).
    if (!result.ok()) {
        throw Error(result.timed_out
                        ? fmt::format("release command timed out after {} s (raise "
                                      "stacks.{}.release_timeout in widemesh.yaml)",
                                      timeout, r.name)
                        : fmt::format("release command exited with status {}", result.exit_code))
            .with_context(fmt::format("stack {}", r.name))
            .with_step("release")
            .with_server(first.name());
    }
}

// Steps 6 and 7, rack by rack. Once a server has switched, later failures are reported in the
// returned report (the deploy rolls forward) instead of thrown.
SwitchReport activate(Fleet& fleet, const DeployPlan& plan,
                      const std::vector<StackRelease>& releases, Env& env) {
    SwitchReport report;
    for (const auto& rack : plan.racks) {
        throw_if_cancelled(env.cancel);
        env.reporter.step(
            fmt::format("Starting the new release on rack {}", rack.resolved.rack.name));
        std::vector<Activation> stacks;
        for (const auto& r : releases) {
            stacks.push_back(
                {r.name, r.version, services_from_json(r.services[rack.resolved.rack.name])});
        }
        activate_rack(fleet, rack, plan.app_env(), stacks, &report);
        for (const auto& server : rack.servers) {
            if (report.servers[server.name] == "ok") {
                env.reporter.progress(server.name, "serving the new release");
            }
        }
    }
    for (const auto& w : report.warnings) {
        env.reporter.warn(w);
    }
    return report;
}

Deployment record_of(const DeployPlan& plan, const StackRelease& r, const std::string& started,
                     Env& env) {
    Deployment d;
    d.app = plan.app;
    d.environment = plan.environment;
    d.stack = r.name;
    d.version = r.version;
    set_source(d, r.build.source);
    d.slug_sha256 = r.build.sha256;
    d.who = who_of(env.identity);
    d.started = started;
    d.finished = format_utc(env.clock.now());
    d.servers = r.servers;
    d.services = r.services;
    d.fingerprint = r.fingerprint;
    d.description = r.description;
    return d;
}

// How a deploy ended: "succeeded", "failed" (nothing switched) or "partial" (some servers
// serve the new release); `servers` says what each one serves.
struct Outcome {
    std::string status = "succeeded";
    std::string error;
    std::map<std::string, std::string> servers; ///< empty: every server "ok" (or "not activated")
};

// Step 8: stored on every server and in the local journal.
void record_all(Fleet& fleet, const DeployPlan& plan, std::vector<StackRelease>& releases,
                const Outcome& outcome, const std::string& started, Env& env,
                const CaptureReporter& log) {
    for (auto& r : releases) {
        if (r.version < 0) {
            continue;
        }
        for (const auto& name : fleet.names()) {
            auto it = outcome.servers.find(name);
            r.servers[name] = it != outcome.servers.end()     ? it->second
                              : outcome.status == "succeeded" ? "ok"
                                                              : "not activated";
        }
        Deployment d = record_of(plan, r, started, env);
        d.status = outcome.status;
        d.error = outcome.error;
        std::string text = format_log(log.events());
        store_record(fleet, d, text, env);
    }
}

void prune(Fleet& fleet, const DeployPlan& plan, const std::vector<StackRelease>& releases,
           Env& env) {
    for (const auto& r : releases) {
        warn_each(env.reporter, "", fleet.each_collect("prune", [&](Server& s) {
            (void)s.prune_releases(plan.app_env(), r.name, plan.keep_releases, r.version);
        }));
    }
}

DeployResult result_of(const DeployPlan& plan, const std::vector<StackRelease>& releases) {
    DeployResult result{plan.environment, {}, plan_urls(plan), {}};
    for (const auto& r : releases) {
        result.stacks.push_back({r.name, r.version, r.build.source.commit, r.build.sha256,
                                 r.build.reused, r.uploaded_to, r.unchanged});
    }
    return result;
}

} // namespace

nlohmann::json DeployResult::to_json() const {
    nlohmann::json stacks_json = nlohmann::json::array();
    for (const auto& s : stacks) {
        stacks_json.push_back({{"stack", s.stack},
                               {"version", s.version},
                               {"commit", s.commit},
                               {"slug_sha256", s.sha256},
                               {"reused_build", s.reused_build},
                               {"uploaded_to", s.uploaded_to},
                               {"unchanged", s.unchanged}});
    }
    nlohmann::json j{{"event", "result"}, {"environment", environment}, {"urls", urls}};
    if (!plan.empty()) {
        j["plan"] = plan;
    } else {
        j["stacks"] = stacks_json;
    }
    return j;
}

DeployResult deploy(const DeployRequest& req, Env& env) {
    // 1. Load and validate the manifest; resolve environment -> racks -> servers (the plan).
    state::Store store(env.state_dir);
    DeployPlan plan =
        make_plan(rack::load_manifest(req.manifest_path, store), req.environment, req.stack);
    if (req.dry_run) {
        return DeployResult{plan.environment, {}, plan_urls(plan), describe_plan(plan, req.ref)};
    }
    return deploy_plan(plan, req, env);
}

DeployResult deploy_plan(const DeployPlan& manifest_plan, const DeployRequest& req, Env& outer) {
    DeployPlan plan = manifest_plan;
    CaptureReporter log;
    PhaseTimer phases(outer.reporter, outer.clock); // where the time goes, with -v and --json
    TeeReporter tee(phases, log);
    Env env{tee,           outer.clock,    outer.servers,   outer.builder,
            outer.journal, outer.identity, outer.state_dir, outer.parallelism,
            outer.cancel};
    std::string started = format_utc(env.clock.now());

    // 2. Connect to every server, check each has what the stacks need (preflight) and take the
    // environment's deploy lease there.
    env.reporter.step(fmt::format("Deploying {} to {} ({} server{})", plan.app, plan.environment,
                                  plan.servers().size(), plan.servers().size() == 1 ? "" : "s"));
    std::string builder = builder_of(plan, req.build.empty() ? plan.build : req.build);
    std::vector<rack::Need> needs = needs_of(plan, req, builder, env);
    Fleet fleet = Fleet::connect(plan.servers(), env);
    auto counting = phases.count_round_trips([&] { return fleet.round_trips(); });
    // Preflight: a missing runtime fails here in one round trip, not at the health check; the
    // builder also needs git (the source arrives as git objects), not only at the build step.
    fleet.each("preflight", [&](Server& s) {
        s.preflight(s.name() == builder ? with_builder_needs(needs) : needs);
    });
    LeaseHold lease(fleet, env, plan.app_env(), lease_what(plan, req), req.wait);
    fleet.each("prepare", [&](Server& s) {
        s.ensure_ready();
        s.check_alias(plan.app_env());
    });
    // The config set with `wm config` and the counts set with `wm scale` (on the servers).
    plan = with_settings(std::move(plan), read_settings(fleet.first(), plan));
    // 3. Build each stack's slug (reused for the same commit + config). Ctrl-C is honoured
    // between steps and inside the long waits; the lease goes on the way out, as for any error.
    throw_if_cancelled(env.cancel);
    std::vector<StackRelease> releases = build_stacks(fleet, plan, req, builder, env);
    if (std::all_of(releases.begin(), releases.end(),
                    [&](StackRelease& r) { return already_running(fleet, plan, r); })) {
        for (const auto& r : releases) {
            env.reporter.info(fmt::format("stack {} v{} already runs this commit and config "
                                          "everywhere: nothing to do",
                                          r.name, r.version));
        }
        return result_of(plan, releases);
    }
    bool serving = anything_serving(fleet, plan);
    lease.renew();
    SwitchReport switched;
    try {
        // 4. Upload the slug where missing; unpack releases/v<N> (same N on every server).
        for (auto& r : releases) {
            throw_if_cancelled(env.cancel);
            stage_stack(fleet, plan, r, env);
        }
        // 5. Run the release command once; a failure stops here with nothing changed.
        for (const auto& r : releases) {
            throw_if_cancelled(env.cancel);
            run_release_command(fleet, plan, r, env);
        }
        // Named in the lease from here on: `wm deployments show vN` finds the running deploy.
        lease.renew(lease_what(plan, req) + " " + versions_of(releases));
        // 6 + 7. Start the new set, wait for health, switch the proxy, stop the old set.
        switched = activate(fleet, plan, releases, env);
    } catch (const Error& failure) {
        Error e = as_interruption(failure, env.cancel);
        env.reporter.warn(rack::deploy_failed_message(serving));
        record_all(fleet, plan, releases, {"failed", e.describe(), {}}, started, env, log);
        throw e;
    }
    // 8. Record deployment v<N> with what each server serves, prune old releases; the lease is
    // released on return. A partial switch is recorded as such and fails the command.
    env.reporter.step("Recording the deployment");
    if (!switched.complete()) {
        record_all(fleet, plan, releases, {"partial", switched.summary(), switched.servers},
                   started, env, log);
        throw Error(switched.summary());
    }
    record_all(fleet, plan, releases, {}, started, env, log);
    prune(fleet, plan, releases, env);
    return result_of(plan, releases);
}

} // namespace wm::ops
