#include <wm/base/error.hpp>
#include <wm/ops/activate.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/lease.hpp>
#include <wm/ops/scale.hpp>
#include <wm/ops/settings.hpp>

#include <fmt/format.h>

#include <charconv>
#include <set>

namespace wm::ops {

namespace {

// The manifest's count of a service on the first rack (1: not listed there).
int manifest_count(const DeployPlan& plan, const std::string& stack, const std::string& service) {
    for (const auto& s : plan.racks.front().resolved.stacks) {
        for (const auto& svc : s.services) {
            if (s.name == stack && svc.name == service) {
                return svc.instances;
            }
        }
    }
    return 1;
}

// Replaces, rack by rack, the instances of `services` (names) of the stack's running release;
// `counts` changes their instance counts. Returns what runs now.
Rolled roll(Fleet& fleet, const DeployPlan& plan, const std::string& stack,
            const std::set<std::string>& services, const std::map<std::string, int>& counts) {
    std::optional<int> v = running_version(fleet.first(), plan.app_env(), stack);
    if (!v) {
        fail("stack {} does not run in {}: deploy it first", stack, plan.environment);
    }
    Rolled out{stack, *v, {}};
    for (const auto& rack : plan.racks) {
        std::vector<manifest::ServiceSpec> chosen;
        for (auto svc :
             recorded_services(fleet.first(), plan.app_env(), stack, *v, rack.resolved.rack.name)) {
            if (auto it = counts.find(svc.name); it != counts.end()) {
                svc.instances = it->second;
            }
            out.counts[svc.name] = svc.instances;
            if (services.empty() || services.count(svc.name) > 0) {
                chosen.push_back(svc);
            }
        }
        activate_rack(fleet, rack, plan.app_env(), {{stack, *v, chosen, true}});
    }
    return out;
}

// The names of `counts` must be services of the running release: refused otherwise.
void check_services(Fleet& fleet, const DeployPlan& plan, const std::string& stack,
                    const std::map<std::string, int>& counts) {
    std::optional<int> v = running_version(fleet.first(), plan.app_env(), stack);
    if (!v) {
        fail("stack {} does not run in {}: deploy it first", stack, plan.environment);
    }
    std::vector<std::string> known;
    for (const auto& svc : recorded_services(fleet.first(), plan.app_env(), stack, *v,
                                             plan.racks.front().resolved.rack.name)) {
        known.push_back(svc.name);
    }
    for (const auto& [name, count] : counts) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            throw usage_error(fmt::format("stack {} has no service '{}' (services: {})", stack,
                                          name, fmt::join(known, ", ")));
        }
    }
}

std::string one_stack(const DeployPlan& plan) {
    if (plan.stacks.size() != 1) {
        throw usage_error(fmt::format("several stacks ({}): choose one with --stack",
                                      fmt::join(plan.stacks, ", ")));
    }
    return plan.stacks.front();
}

} // namespace

nlohmann::json Rolled::to_json() const {
    return {{"stack", stack}, {"version", version}, {"instances", counts}};
}

std::pair<std::string, int> parse_count(const std::string& text) {
    size_t eq = text.find('=');
    int n = -1;
    if (eq != std::string::npos && eq > 0) {
        const char* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(text.data() + eq + 1, end, n);
        if (ec != std::errc() || ptr != end) {
            n = -1;
        }
    }
    if (n < 0 || n > 100) {
        throw usage_error(fmt::format(
            "'{}': expected SERVICE=COUNT with a count of 0 to 100 (e.g. web=3)", text));
    }
    return {text.substr(0, eq), n};
}

Rolled scale(const ScaleRequest& req, Env& env) {
    return scale_plan(plan_for(req.target), req, env);
}

Rolled scale_plan(const DeployPlan& plan, const ScaleRequest& req, Env& env) {
    // 1. The one stack; web keeps at least one instance.
    std::string stack = one_stack(plan);
    if (auto web = req.counts.find("web"); web != req.counts.end() && web->second == 0) {
        throw usage_error("web=0 would leave the platform alias without instances; scale it to "
                          "1 or more");
    }
    std::vector<std::string> words;
    std::set<std::string> services;
    for (const auto& [name, n] : req.counts) {
        words.push_back(fmt::format("{}={}", name, n));
        services.insert(name);
    }
    // 2. Connect and take the lease; refuse services the running release does not have.
    Fleet fleet = Fleet::connect(plan.servers(), env);
    LeaseHold lease(fleet, env, plan.app_env(),
                    fmt::format("scale {} {} {}", plan.environment, stack, fmt::join(words, " ")),
                    req.wait);
    check_services(fleet, plan, stack, req.counts);
    env.reporter.step(
        fmt::format("Scaling {} {}: {}", plan.environment, stack, fmt::join(words, " ")));
    // 3. New instance sets up and healthy, proxy switched, old ones drained.
    Rolled rolled = roll(fleet, plan, stack, services, req.counts);
    // 4. Store the counts with the manifest's, so deploys keep them until the manifest changes.
    rack::ScaleSettings settings = fleet.first().read_scale(plan.app_env(), stack);
    for (const auto& [name, n] : req.counts) {
        settings[name] = {n, manifest_count(plan, stack, name)};
    }
    fleet.each("scale", [&](Server& s) {
        s.write_scale(plan.app_env(), stack, settings);
        s.log_event(plan.app_env(), stack, "scale", fmt::format("v{}", rolled.version),
                    fmt::format("{} by {}@{}", fmt::join(words, " "), env.identity.user,
                                env.identity.control_host));
    });
    return rolled;
}

std::vector<Rolled> restart(const RestartRequest& req, Env& env) {
    return restart_plan(plan_for(req.target), req, env);
}

std::vector<Rolled> restart_plan(const DeployPlan& plan, const RestartRequest& req, Env& env) {
    // 1. Connect and take the lease.
    Fleet fleet = Fleet::connect(plan.servers(), env);
    LeaseHold lease(fleet, env, plan.app_env(), fmt::format("restart {}", plan.environment),
                    req.wait);
    // 2. Each running stack in turn: fresh instances of the same release, then the switch.
    std::vector<Rolled> out;
    std::set<std::string> only;
    if (!req.service.empty()) {
        only.insert(req.service);
    }
    for (const auto& stack : plan.stacks) {
        if (!running_version(fleet.first(), plan.app_env(), stack)) {
            continue;
        }
        if (!req.service.empty()) {
            check_services(fleet, plan, stack, {{req.service, 0}});
        }
        throw_if_cancelled(env.cancel);
        env.reporter.step(fmt::format("Restarting {} {}{}", plan.environment, stack,
                                      req.service.empty() ? "" : " " + req.service));
        out.push_back(roll(fleet, plan, stack, only, {}));
    }
    if (out.empty()) {
        fail("nothing runs in {} to restart", plan.environment);
    }
    return out;
}

std::vector<ServiceCount> service_counts(const DeployPlan& plan, Env& env) {
    std::unique_ptr<Server> first;
    try {
        first = connect_first(plan, env);
    } catch (const Error&) {
        return {}; // ps reports each unreachable server itself
    }
    Server& server = *first;
    std::vector<ServiceCount> out;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& i : server.list_instances(plan.app_env())) {
        if (std::find(plan.stacks.begin(), plan.stacks.end(), i.stack) != plan.stacks.end()) {
            seen.insert({i.stack, i.service});
        }
    }
    for (const auto& [stack, service] : seen) {
        int manifest = manifest_count(plan, stack, service);
        rack::ScaleSettings settings = server.read_scale(plan.app_env(), stack);
        auto it = settings.find(service);
        if (it != settings.end() && it->second.manifest == manifest) {
            out.push_back({stack, service, it->second.instances,
                           fmt::format("wm scale (manifest: {})", manifest)});
        } else {
            out.push_back({stack, service, manifest, "manifest"});
        }
    }
    return out;
}

} // namespace wm::ops
