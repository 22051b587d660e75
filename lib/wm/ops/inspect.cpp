#include <wm/base/error.hpp>
#include <wm/manifest/load.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/inspect.hpp>
#include <wm/ops/lease.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/state/store.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <set>

namespace wm::ops {

DeployPlan plan_for(const Target& target) {
    state::Store store(target.state_dir);
    return make_plan(rack::load_manifest(target.manifest_path, store), target.environment,
                     target.stack);
}

std::unique_ptr<Server> connect_first(const DeployPlan& plan, Env& env) {
    std::optional<Error> last;
    for (const auto& server : plan.servers()) {
        try {
            return env.servers.connect(server, env.reporter);
        } catch (const Error& e) {
            last = at_server(e, server.name, "connect");
        }
    }
    throw last.value_or(Error("environment " + plan.environment + " has no servers"));
}

std::vector<DeploymentView> list_deployments(const DeployPlan& plan, Server& server) {
    std::set<std::pair<std::string, int>> running;
    for (const auto& i : server.list_instances(plan.app_env())) {
        running.insert({i.stack, i.version});
    }
    std::vector<DeploymentView> out;
    for (const auto& stack : plan.stacks) {
        for (Deployment& record : server.read_deployments(plan.app_env(), stack)) {
            bool runs = running.count({stack, record.version}) > 0;
            out.push_back({std::move(record), runs, ""});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.record.started < b.record.started;
    });
    return out;
}

namespace {

// True when `what` (a lease's description) names `stack vN`: "... (web v7, api v3)".
bool names_version(const std::string& what, const std::string& stack, int version) {
    std::string want = fmt::format("{} v{}", stack, version);
    for (size_t at = what.find(want); at != std::string::npos; at = what.find(want, at + 1)) {
        char before = at == 0 ? ' ' : what[at - 1];
        char after = at + want.size() < what.size() ? what[at + want.size()] : ')';
        if ((before == '(' || before == ' ') && (after == ',' || after == ')')) {
            return true;
        }
    }
    return false;
}

// "2026-12-01_08:00:01.12345 deploy v7: started web v7.1"
std::string format_events(const std::vector<rack::LogLine>& lines, int version) {
    std::string out;
    std::string instance = fmt::format("v{}", version);
    for (const auto& l : lines) {
        if ((l.service == "deploy" || l.service == "release") && l.instance == instance) {
            out += fmt::format("{} {} {}: {}\n", l.ts, l.service, l.instance, l.line);
        }
    }
    return out;
}

} // namespace

std::optional<DeploymentView> running_deployment(const DeployPlan& plan, Server& server,
                                                 const std::string& stack, int version) {
    std::optional<rack::Lease> lease = server.read_lease(plan.app_env());
    if (!lease || !names_version(lease->what, stack, version)) {
        return std::nullopt;
    }
    DeploymentView view;
    Deployment& d = view.record;
    d.app = plan.app;
    d.environment = plan.environment;
    d.stack = stack;
    d.version = version;
    d.status = "running";
    d.who = lease->holder;
    d.started = lease->started;
    d.description = lease->what;
    auto since = rack::parse_utc(lease->started);
    view.log =
        format_events(server.read_logs({plan.app_env(), stack, "",
                                        since.value_or(std::chrono::system_clock::time_point{})}),
                      version);
    return view;
}

DeploymentView show_deployment(const DeployPlan& plan, Server& server, const std::string& stack,
                               int version) {
    if (stack.empty() && plan.stacks.size() > 1) {
        throw usage_error(fmt::format("several stacks ({}): choose one with --stack",
                                      fmt::join(plan.stacks, ", ")));
    }
    std::string name = stack.empty() ? plan.stacks.front() : stack;
    DeploymentView view;
    std::optional<Deployment> record =
        server.read_deployment(plan.app_env(), name, version, &view.log);
    if (record) {
        view.record = *record;
        return view;
    }
    if (std::optional<DeploymentView> running = running_deployment(plan, server, name, version)) {
        return *running;
    }
    fail("{}: stack {}: no deployment v{} (see `wm deployments list`)", plan.environment, name,
         version);
}

namespace {

/// Connects to every server of the plan in parallel and runs `read` on each; a server that
/// cannot be reached or read keeps its Error (naming server and step) instead of failing all.
template <typename T>
std::vector<ServerRead<T>> read_each(const DeployPlan& plan, Env& env, const std::string& step,
                                     const std::function<T(Server&)>& read) {
    std::vector<PlannedServer> servers = plan.servers();
    std::vector<ServerRead<T>> out(servers.size());
    auto errors = rack::run_parallel(servers.size(), env.parallelism, [&](size_t i) {
        std::unique_ptr<Server> s;
        try {
            s = env.servers.connect(servers[i], env.reporter);
        } catch (const Error& e) {
            throw at_server(e, servers[i].name, "connect");
        }
        out[i].value = read(*s);
    });
    for (size_t i = 0; i < servers.size(); ++i) {
        out[i].server = servers[i].name;
        if (errors[i]) {
            out[i].error = at_server(*errors[i], servers[i].name, step);
            out[i].value.reset();
        }
    }
    return out;
}

} // namespace

std::vector<ServerRead<std::vector<rack::Instance>>> list_services(const DeployPlan& plan,
                                                                   Env& env) {
    return read_each<std::vector<rack::Instance>>(
        plan, env, "list", [&](Server& s) { return s.list_instances(plan.app_env()); });
}

std::vector<ServerRead<std::optional<rack::Lease>>> lock_status(const DeployPlan& plan, Env& env) {
    return read_each<std::optional<rack::Lease>>(
        plan, env, "lock", [&](Server& s) { return s.read_lease(plan.app_env()); });
}

namespace {

// A lease on any server that its holder still holds (judged as a deploy would judge it).
std::optional<rack::Lease> live_lease(const DeployPlan& plan, Fleet& fleet, Env& env) {
    std::mutex mutex;
    std::optional<rack::Lease> live;
    rack::Lease mine = make_lease(env, "lock release");
    fleet.each("lock", [&](Server& s) {
        std::optional<rack::Lease> current = s.read_lease(plan.app_env());
        if (rack::judge_lease(current, mine, env.clock.now(), rack::local_pid_alive) ==
            rack::LeaseVerdict::held) {
            std::lock_guard lock(mutex);
            live = current;
        }
    });
    return live;
}

} // namespace

void lock_release(const DeployPlan& plan, Env& env, bool force) {
    // 1. Every server of the environment.
    Fleet fleet = Fleet::connect(plan.servers(), env);
    // 2. A live holder (not expired, not a dead pid of this machine) keeps its lease unless
    //    --force: freeing it lets a second deploy or release command run beside the first.
    if (!force) {
        if (std::optional<rack::Lease> live = live_lease(plan, fleet, env)) {
            throw Error(fmt::format("the deploy lease of {} is {}; not releasing a live deploy's "
                                    "lease",
                                    plan.environment, rack::describe_lease(*live)))
                .with_hint("wait for that deploy to end (wm lock status), or pass --force if "
                           "it is gone for good");
        }
    }
    // 3. Remove it everywhere.
    fleet.each("lock", [&](Server& s) { s.release_lease(plan.app_env()); });
}

nlohmann::json to_json(const std::optional<rack::Lease>& lease) {
    return lease ? rack::to_json(*lease) : nlohmann::json(nullptr);
}

int parse_version(const std::string& text) {
    std::string digits =
        !text.empty() && (text[0] == 'v' || text[0] == 'V') ? text.substr(1) : text;
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        throw usage_error(fmt::format("invalid version '{}' (expected v<N>, e.g. v3)", text));
    }
    return std::stoi(digits);
}

} // namespace wm::ops
