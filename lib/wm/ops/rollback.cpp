#include <wm/base/error.hpp>
#include <wm/manifest/load.hpp>
#include <wm/ops/activate.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/lease.hpp>
#include <wm/ops/record.hpp>
#include <wm/ops/rollback.hpp>

#include <fmt/format.h>

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

std::vector<Deployment> records_of(Server& s, const AppEnv& ae, const std::string& stack) {
    std::vector<Deployment> out;
    for (int v : s.list_deployments(ae, stack)) {
        if (auto r = s.read_deployment(ae, stack, v, nullptr)) {
            out.push_back(*r);
        }
    }
    return out;
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
                          std::optional<int> wanted) {
    if (wanted) {
        if (*wanted == current) {
            fail("v{} is already the current release", *wanted);
        }
        for (const auto& r : records) {
            if (r.version == *wanted) {
                return *wanted;
            }
        }
        fail("no deployment v{} (see `wm deployments list`)", *wanted);
    }
    int best = -1;
    for (const auto& r : records) {
        if (r.version < current && r.status == "succeeded") {
            best = std::max(best, r.version);
        }
    }
    if (best < 0) {
        fail("no earlier succeeded deployment to roll back to (current: v{})", current);
    }
    return best;
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
    std::vector<Deployment> records = records_of(fleet.first(), plan.app_env(), stack);
    int to = pick_rollback_version(records, from, version);
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
