#include <wm/base/error.hpp>
#include <wm/manifest/load.hpp>
#include <wm/ops/activate.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/lease.hpp>
#include <wm/ops/record.hpp>
#include <wm/ops/rollback.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <set>

namespace wm::ops {

namespace {

// The highest version of `stack` running on the server (-1: none).
int current_version(Server& s, const AppEnv& ae, const std::string& stack) {
    int current = -1;
    for (const auto& i : s.list_instances(ae)) {
        if (i.stack == stack) {
            current = std::max(current, i.version);
        }
    }
    return current;
}

// The versions unpacked on every server of the fleet, ascending.
std::vector<int> releases_everywhere(Fleet& fleet, const AppEnv& ae, const std::string& stack) {
    std::mutex mutex;
    std::optional<std::set<int>> common;
    fleet.each("releases", [&](Server& s) {
        std::vector<int> mine = s.list_releases(ae, stack);
        std::lock_guard lock(mutex);
        if (!common) {
            common.emplace(mine.begin(), mine.end());
            return;
        }
        std::set<int> both;
        for (int v : mine) {
            if (common->count(v)) {
                both.insert(v);
            }
        }
        common = std::move(both);
    });
    return common ? std::vector<int>(common->begin(), common->end()) : std::vector<int>{};
}

std::vector<manifest::ServiceSpec> services_for(const Deployment& record, const PlannedRack& rack,
                                                int version) {
    const nlohmann::json& services = record.services;
    if (!services.contains(rack.resolved.rack.name)) {
        fail("deployment v{} never ran on rack {}; deploy instead", version,
             rack.resolved.rack.name);
    }
    return services_from_json(services[rack.resolved.rack.name]);
}

// Succeeded versions other than `current` that every server still has, newest first.
std::vector<int> rollback_candidates(const std::vector<Deployment>& records, int current,
                                     const std::vector<int>& available) {
    std::vector<int> out;
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
        if (it->status == "succeeded" && it->version != current &&
            std::binary_search(available.begin(), available.end(), it->version)) {
            out.push_back(it->version);
        }
    }
    return out;
}

std::string candidates_text(const std::vector<int>& versions) {
    if (versions.empty()) {
        return "no release can serve again: deploy instead";
    }
    std::vector<std::string> names;
    for (int v : versions) {
        names.push_back(fmt::format("v{}", v));
    }
    return fmt::format("versions you can roll back to: {}", fmt::join(names, ", "));
}

// Appends this activation to the record and its output to the stored log, everywhere.
void record_rollback(Fleet& fleet, const DeployPlan& plan, Deployment record, int from, Env& env,
                     const CaptureReporter& log) {
    std::string text;
    (void)fleet.first().read_deployment(plan.app_env(), record.stack, record.version, &text);
    text += format_log(log.events());
    record.activations.push_back(
        {"rollback", from, who_of(env.identity), format_utc(env.clock.now())});
    store_record(fleet, record, text, env);
}

} // namespace

nlohmann::json RollbackResult::to_json() const {
    return {{"event", "result"}, {"environment", environment},
            {"stack", stack},    {"from", from},
            {"to", to},          {"urls", urls}};
}

int pick_rollback_version(const std::vector<Deployment>& records, int current,
                          std::optional<int> wanted, const std::vector<int>& available) {
    std::vector<int> can = rollback_candidates(records, current, available);
    if (!wanted) {
        auto earlier = std::find_if(can.begin(), can.end(), [&](int v) { return v < current; });
        if (earlier == can.end()) {
            fail("no earlier succeeded deployment to roll back to (current: v{}); {}", current,
                 candidates_text(can));
        }
        return *earlier;
    }
    if (*wanted == current) {
        fail("v{} is already the current release", *wanted);
    }
    auto record = std::find_if(records.begin(), records.end(),
                               [&](const Deployment& d) { return d.version == *wanted; });
    if (record == records.end()) {
        fail("no deployment v{} (see `wm deployments list`); {}", *wanted, candidates_text(can));
    }
    if (record->status != "succeeded") {
        fail("v{} {}; {}", *wanted,
             record->status == "failed"    ? "failed and never served"
             : record->status == "partial" ? "reached only some servers"
                                           : "did not finish and never served",
             candidates_text(can));
    }
    if (std::find(can.begin(), can.end(), *wanted) == can.end()) {
        fail("v{} was pruned from the servers (keep_releases keeps the newest succeeded "
             "releases); {}",
             *wanted, candidates_text(can));
    }
    return *wanted;
}

RollbackResult rollback(const RollbackRequest& req, Env& env) {
    // 1. Load the manifest and resolve the environment (one stack).
    DeployPlan plan = plan_for(req.target);
    if (plan.stacks.size() != 1) {
        throw usage_error(fmt::format("several stacks ({}): choose one with --stack",
                                      fmt::join(plan.stacks, ", ")));
    }
    return rollback_plan(plan, req.version, req.wait, env);
}

RollbackResult rollback_plan(const DeployPlan& plan, std::optional<int> version,
                             std::optional<std::chrono::seconds> wait, Env& outer) {
    CaptureReporter log;
    TeeReporter tee(outer.reporter, log);
    Env env{tee,           outer.clock,    outer.servers,   outer.builder,
            outer.journal, outer.identity, outer.state_dir, outer.parallelism,
            outer.cancel};
    const std::string& stack = plan.stacks.front();
    // 2. Connect and take the environment's deploy lease.
    Fleet fleet = Fleet::connect(plan.servers(), env);
    LeaseHold lease(fleet, env, plan.app_env(),
                    fmt::format("rollback {} {}", plan.environment, stack), wait);
    // 3. Pick the release: the stored records of the first server decide.
    int from = current_version(fleet.first(), plan.app_env(), stack);
    std::vector<Deployment> records = fleet.first().read_deployments(plan.app_env(), stack);
    int to = pick_rollback_version(records, from, version,
                                   releases_everywhere(fleet, plan.app_env(), stack));
    Deployment record;
    for (const auto& r : records) {
        if (r.version == to) {
            record = r;
        }
    }
    env.reporter.step(
        fmt::format("Rolling {} {} back from v{} to v{}", plan.environment, stack, from, to));
    // 4. Start, wait for health, switch, stop the old set: rack by rack.
    for (const auto& rack : plan.racks) {
        throw_if_cancelled(env.cancel);
        activate_rack(fleet, rack, plan.app_env(), {{stack, to, services_for(record, rack, to)}});
    }
    // 5. Record the activation with the deployment it re-activated.
    record_rollback(fleet, plan, record, from, env, log);
    return {plan.environment, stack, from, to, plan_urls(plan)};
}

} // namespace wm::ops
