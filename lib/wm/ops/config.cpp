#include <wm/base/error.hpp>
#include <wm/manifest/load.hpp>
#include <wm/ops/config.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/lease.hpp>
#include <wm/ops/settings.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/state/store.hpp>

#include <fmt/format.h>

namespace wm::ops {

namespace {

using Layer = std::pair<std::string, const std::map<std::string, std::string>*>;

// The layers of one stack's config, lowest precedence first.
std::vector<Layer> layers_of(const manifest::Manifest& m, const DeployPlan& plan,
                             const manifest::StackSpec& stack, const ServerSettings& settings) {
    std::vector<Layer> out;
    const manifest::EnvironmentSpec* env = m.find_environment(plan.environment);
    out.emplace_back("environment", &env->config);
    out.emplace_back("stack", &m.find_stack(stack.name)->config);
    const std::string& region = plan.racks.front().resolved.rack.region;
    for (const auto& o : env->regions) {
        if (o.region == region) {
            out.emplace_back("region " + region, &o.config);
        }
    }
    out.emplace_back("server", &settings.config);
    out.emplace_back("server -s " + stack.name, &settings.stack_config.at(stack.name));
    return out;
}

// The previous values of what `changes` touches (nullopt: was unset), from `store`.
rack::ConfigChanges undo_of(const rack::ConfigChanges& changes,
                            const std::map<std::string, std::string>& store) {
    rack::ConfigChanges undo;
    for (const auto& [name, value] : changes) {
        auto it = store.find(name);
        undo[name] = it == store.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    return undo;
}

// The plan's stacks that run somewhere in the environment (asked of the first server).
std::vector<std::string> running_stacks(Server& server, const DeployPlan& plan) {
    std::vector<std::string> out;
    for (const auto& stack : plan.stacks) {
        if (running_version(server, plan.app_env(), stack)) {
            out.push_back(stack);
        }
    }
    return out;
}

} // namespace

std::vector<ConfigEntry> config_list(const Target& target, Env& env) {
    manifest::Manifest m =
        rack::load_manifest(target.manifest_path, state::Store(target.state_dir));
    DeployPlan plan = make_plan(m, target.environment, target.stack);
    auto server = connect_first(plan, env);
    ServerSettings settings = read_settings(*server, plan);
    std::vector<ConfigEntry> out;
    for (const auto& stack : plan.racks.front().resolved.stacks) {
        if (std::find(plan.stacks.begin(), plan.stacks.end(), stack.name) == plan.stacks.end()) {
            continue;
        }
        std::map<std::string, ConfigEntry> merged;
        for (const auto& [source, values] : layers_of(m, plan, stack, settings)) {
            for (const auto& [name, value] : *values) {
                merged[name] = {stack.name, name, value, source};
            }
        }
        for (auto& [name, entry] : merged) {
            out.push_back(std::move(entry));
        }
    }
    return out;
}

nlohmann::json config_list_json(const std::vector<ConfigEntry>& entries, bool reveal) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries) {
        nlohmann::json j{{"stack", e.stack}, {"name", e.name}, {"source", e.source}};
        if (reveal) {
            j["value"] = e.value;
        }
        out.push_back(j);
    }
    return out;
}

nlohmann::json ConfigChangeResult::to_json() const {
    nlohmann::json j{{"event", "result"}, {"description", description}, {"stored_on", stored_on}};
    j["release"] = release ? release->to_json() : nlohmann::json(nullptr);
    return j;
}

void check_changes(const rack::ConfigChanges& changes) {
    if (changes.empty()) {
        throw usage_error("nothing to change (give NAME=VALUE, --file NAME=PATH or --stdin NAME)");
    }
    for (const auto& [name, value] : changes) {
        std::string problem = rack::config_entry_problem(name, value.value_or(""));
        if (!problem.empty()) {
            throw usage_error(problem);
        }
    }
}

std::string describe_changes(const rack::ConfigChanges& changes) {
    std::vector<std::string> set, unset;
    for (const auto& [name, value] : changes) {
        (value ? set : unset).push_back(name);
    }
    std::vector<std::string> parts;
    if (!set.empty()) {
        parts.push_back(fmt::format("set {}", fmt::join(set, ", ")));
    }
    if (!unset.empty()) {
        parts.push_back(fmt::format("unset {}", fmt::join(unset, ", ")));
    }
    return fmt::format("config {}", fmt::join(parts, "; "));
}

ConfigChangeResult config_change(const ConfigChange& change, Env& env) {
    return config_change_plan(plan_for(change.target), change, env);
}

ConfigChangeResult config_change_plan(DeployPlan plan, const ConfigChange& change, Env& env) {
    // 1. Check the change (names, sizes) before anything reaches a server.
    check_changes(change.changes);
    const std::string& store = change.target.stack; // empty: the app env's store
    ConfigChangeResult result{describe_changes(change.changes), {}, std::nullopt};
    // 2. Connect and take the app env's deploy lease.
    Fleet fleet = Fleet::connect(plan.servers(), env);
    LeaseHold lease(fleet, env, plan.app_env(),
                    fmt::format("{} {}", result.description, plan.environment), change.wait);
    // 3. Write the change to every server's store (the values travel as files).
    rack::ConfigChanges undo =
        undo_of(change.changes, fleet.first().read_config_store(plan.app_env(), store));
    env.reporter.step(fmt::format("Storing {} on {} server{}", result.description, fleet.size(),
                                  fleet.size() == 1 ? "" : "s"));
    fleet.each("config",
               [&](Server& s) { s.change_config_store(plan.app_env(), store, change.changes); });
    result.stored_on = fleet.names();
    // 4. Re-release each running stack with the new config (no build).
    plan.stacks = running_stacks(fleet.first(), plan);
    if (plan.stacks.empty()) {
        env.reporter.info("nothing runs yet: the next deploy applies it");
        return result;
    }
    RunningSlugs slugs(fleet.first(), plan.app_env(), env.state_dir);
    Env release_env = with_builder(env, slugs);
    DeployRequest req{change.target.manifest_path,
                      change.target.manifest_path.parent_path(),
                      plan.environment,
                      "",
                      "running",
                      false,
                      std::nullopt,
                      false,
                      result.description,
                      ""};
    try {
        result.release = deploy_plan(plan, req, release_env);
    } catch (const Error&) {
        // 5. The old release still serves: put the stores back as it runs with them.
        lease.renew();
        warn_each(env.reporter,
                  "could not restore the config: ", fleet.each_collect("config", [&](Server& s) {
                      s.change_config_store(plan.app_env(), store, undo);
                  }));
        env.reporter.warn(
            fmt::format("{} undone: the servers keep the running release", result.description));
        throw;
    }
    return result;
}

} // namespace wm::ops
