#include <wm/base/error.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/inspect.hpp>
#include <wm/ops/record.hpp>
#include <wm/ops/run.hpp>

#include <fmt/format.h>

#include <random>

namespace wm::ops {

namespace {

std::string only_stack(const DeployPlan& plan) {
    if (plan.stacks.size() != 1) {
        throw usage_error(fmt::format("several stacks ({}): choose one with --stack",
                                      fmt::join(plan.stacks, ", ")));
    }
    return plan.stacks.front();
}

std::unique_ptr<Server> connect_named(const DeployPlan& plan, Env& env, const std::string& name) {
    if (name.empty()) {
        return connect_first(plan, env);
    }
    std::vector<std::string> names;
    for (const PlannedServer& s : plan.servers()) {
        if (s.name == name) {
            try {
                return env.servers.connect(s, env.reporter);
            } catch (const Error& e) {
                throw at_server(e, s.name, "connect");
            }
        }
        names.push_back(s.name);
    }
    throw usage_error(fmt::format("no server '{}' in environment {} (servers: {})", name,
                                  plan.environment, fmt::join(names, ", ")));
}

/// The newest release of `stack` with instances on the server: what it serves now.
int serving_version(Server& server, const DeployPlan& plan, const std::string& stack) {
    int version = -1;
    for (const rack::Instance& i : server.list_instances(plan.app_env())) {
        version = i.stack == stack ? std::max(version, i.version) : version;
    }
    if (version < 0) {
        throw Error(
            fmt::format("stack {} has no running release on this server; deploy first", stack))
            .with_server(server.name())
            .with_step("run");
    }
    return version;
}

std::string run_id() { return fmt::format("{:08x}", std::random_device{}()); }

} // namespace

RunOutcome run_command(const DeployPlan& plan, Env& env, const RunRequest& request) {
    // 1. The stack, the server, and the release that server serves.
    RunOutcome outcome;
    outcome.stack = only_stack(plan);
    std::unique_ptr<Server> server = connect_named(plan, env, request.server);
    outcome.server = server->name();
    outcome.version = serving_version(*server, plan, outcome.stack);
    // 2. Run it there, streaming its output; wm's interrupt stops it (the server kills it).
    rack::OneOff one{plan.app_env(),  outcome.stack, outcome.version,
                     request.command, run_id(),      who_of(env.identity)};
    transport::RunOptions options;
    options.on_output = request.on_output;
    transport::RunResult r = server->run_oneoff(one, options);
    if (r.cancelled) {
        throw interrupted_error().with_server(outcome.server).with_step("run");
    }
    outcome.exit_code = r.exit_code;
    return outcome;
}

} // namespace wm::ops
