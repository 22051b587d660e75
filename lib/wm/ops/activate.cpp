#include <wm/base/error.hpp>
#include <wm/ops/activate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace wm::ops {

namespace {

using Instances = std::vector<rack::Instance>;

// What one server runs before and after the switch.
struct ServerSets {
    Instances old_set; ///< instances of the stacks being replaced (drained after the switch)
    Instances
        old_singletons; ///< instances of singleton services: stopped before the new one starts
    Instances new_set;
};

bool activates(const std::vector<Activation>& stacks, const rack::Instance& i) {
    return std::any_of(stacks.begin(), stacks.end(), [&](const Activation& a) {
        return a.stack == i.stack &&
               (!a.only_these ||
                std::any_of(a.services.begin(), a.services.end(),
                            [&](const manifest::ServiceSpec& s) { return s.name == i.service; }));
    });
}

Instances web_of(const Instances& set, const std::string& stack) {
    Instances out;
    std::copy_if(set.begin(), set.end(), std::back_inserter(out),
                 [&](const rack::Instance& i) { return i.service == "web" && i.stack == stack; });
    return out;
}

manifest::HealthCheck health_of(const Activation& a) {
    for (const auto& svc : a.services) {
        if (svc.is_web()) {
            return svc.health;
        }
    }
    return {};
}

bool is_singleton(const std::vector<Activation>& stacks, const rack::Instance& i) {
    for (const auto& a : stacks) {
        for (const auto& svc : a.services) {
            if (a.stack == i.stack && svc.name == i.service) {
                return svc.singleton;
            }
        }
    }
    return false;
}

// `stacks` keeping only their singleton services (or only the others).
std::vector<Activation> with_singletons(const std::vector<Activation>& stacks, bool singletons) {
    std::vector<Activation> out;
    for (const auto& a : stacks) {
        Activation part{a.stack, a.version, {}, a.only_these};
        std::copy_if(a.services.begin(), a.services.end(), std::back_inserter(part.services),
                     [&](const manifest::ServiceSpec& s) { return s.singleton == singletons; });
        if (!part.services.empty()) {
            out.push_back(part);
        }
    }
    return out;
}

void start_set(Server& s, ServerSets& sets, const AppEnv& ae,
               const std::vector<Activation>& stacks) {
    for (const auto& a : stacks) {
        Instances started = s.start_instances({ae, a.stack, a.version, a.services});
        sets.new_set.insert(sets.new_set.end(), started.begin(), started.end());
    }
}

void start_on(Server& s, ServerSets& sets, const AppEnv& ae,
              const std::vector<Activation>& stacks) {
    for (auto& i : s.list_instances(ae)) {
        if (activates(stacks, i)) {
            (is_singleton(stacks, i) ? sets.old_singletons : sets.old_set).push_back(i);
        }
    }
    start_set(s, sets, ae, with_singletons(stacks, false));
}

void warn_each_into(std::vector<std::string>& into, const std::vector<std::string>& errors) {
    for (const auto& e : errors) {
        if (!e.empty()) {
            into.push_back("old instances not stopped: " + e);
        }
    }
}

void wait_on(Server& s, const ServerSets& sets, const std::vector<Activation>& stacks) {
    for (const auto& a : stacks) {
        Instances mine;
        std::copy_if(sets.new_set.begin(), sets.new_set.end(), std::back_inserter(mine),
                     [&](const rack::Instance& i) {
                         return i.stack == a.stack && !is_singleton(stacks, i);
                     });
        if (!mine.empty()) {
            s.wait_healthy(mine, health_of(a));
        }
    }
}

// Singletons, once the other new instances are healthy: stop every old one of the rack, then
// start the new one on the rack's first server (primary rack only) and wait for it. Stop-first
// means a failure here leaves the singleton stopped; the error says so.
void swap_singletons(Fleet& fleet, std::map<std::string, ServerSets>& sets,
                     const std::vector<std::string>& names, const PlannedRack& rack,
                     const AppEnv& ae, const std::vector<Activation>& stacks) {
    std::vector<Activation> singles = with_singletons(stacks, true);
    if (singles.empty()) {
        return;
    }
    fleet.each(
        "stop singletons", [&](Server& s) { s.stop_instances(sets.at(s.name()).old_singletons); },
        names);
    if (!rack.primary) {
        return;
    }
    const std::string& first = names.front();
    try {
        fleet.each("start", [&](Server& s) { start_set(s, sets.at(s.name()), ae, singles); },
                   {first});
        fleet.each("health",
                   [&](Server& s) {
                       for (const auto& a : singles) {
                           Instances mine;
                           for (const auto& i : sets.at(s.name()).new_set) {
                               if (i.stack == a.stack && is_singleton(singles, i)) {
                                   mine.push_back(i);
                               }
                           }
                           s.wait_healthy(mine, a.services.front().health);
                       }
                   },
                   {first});
    } catch (const Error& e) {
        throw e.with_hint("the singleton service(s) were stopped before the new one started "
                          "(stop-first) and do not run now; deploy a fix or roll back to start "
                          "them again");
    }
}

} // namespace

std::string SwitchReport::summary() const {
    std::vector<std::string> ok, not_ok;
    for (const auto& [name, outcome] : servers) {
        (outcome == "ok" ? ok : not_ok).push_back(name);
    }
    std::string text = fmt::format("the new release serves on {} of {} servers ({})", ok.size(),
                                   servers.size(), fmt::join(ok, ", "));
    for (const Error& e : errors) {
        text += "; not on " + e.describe();
    }
    return text + "; deploy again to finish (a server that could not be reached is brought in "
                  "line the next time wm reaches it)";
}

namespace {

using Sets = std::map<std::string, ServerSets>;

// Stops the new instances where the activation did not switch (best effort: a server that
// fails here is the one that failed already).
void stop_new(Fleet& fleet, Sets& sets, const std::vector<std::string>& names) {
    if (!names.empty()) {
        (void)fleet.each_collect(
            "stop", [&](Server& s) { s.stop_instances(sets.at(s.name()).new_set); }, names);
    }
}

void not_switched(SwitchReport& report, const std::string& name, const Error& e) {
    report.servers[name] = "not switched: " + e.describe();
    report.errors.push_back(e);
}

void switch_one(Server& s, const ServerSets& set, const AppEnv& ae,
                const std::vector<Activation>& stacks) {
    for (const auto& a : stacks) {
        Instances web = web_of(set.new_set, a.stack);
        if (!web.empty()) {
            s.switch_proxy(ae, a.stack, web, health_of(a).path);
        }
    }
}

// Start + health on every server of the rack; on failure the new instances go and false is
// returned when the activation rolls forward elsewhere (report has switched servers), else the
// error is rethrown.
bool bring_up(Fleet& fleet, Sets& sets, const std::vector<std::string>& names,
              const PlannedRack& rack, const AppEnv& ae, const std::vector<Activation>& stacks,
              SwitchReport* report) {
    try {
        fleet.each(
            "start", [&](Server& s) { start_on(s, sets.at(s.name()), ae, stacks); }, names);
        fleet.each(
            "health", [&](Server& s) { wait_on(s, sets.at(s.name()), stacks); }, names);
        swap_singletons(fleet, sets, names, rack, ae, stacks);
        return true;
    } catch (const Error& e) {
        // Old instances were never touched; only the new ones go away.
        stop_new(fleet, sets, names);
        if (!report || !report->switched_any) {
            throw;
        }
        for (const auto& name : names) {
            not_switched(*report, name, e);
        }
        return false;
    }
}

} // namespace

void activate_rack(Fleet& fleet, const PlannedRack& rack, const AppEnv& ae,
                   const std::vector<Activation>& stacks, SwitchReport* report) {
    std::vector<std::string> names;
    Sets sets;
    for (const auto& server : rack.servers) {
        names.push_back(server.name);
        sets[server.name];
    }
    if (!bring_up(fleet, sets, names, rack, ae, stacks, report)) {
        return;
    }
    SwitchReport local;
    SwitchReport& r = report ? *report : local;
    std::vector<std::string> switched, failed;
    for (auto& [name, error] : fleet.each_outcome(
             "switch", [&](Server& s) { switch_one(s, sets.at(s.name()), ae, stacks); }, names)) {
        if (error) {
            failed.push_back(name);
            not_switched(r, name, *error);
        } else {
            switched.push_back(name);
            r.servers[name] = "ok";
        }
    }
    stop_new(fleet, sets, failed);
    if (switched.empty() && !r.switched_any) {
        throw r.errors.front(); // nothing switched anywhere: the previous release serves
    }
    r.switched_any = true;
    warn_each_into(
        r.warnings,
        fleet.each_collect(
            "stop", [&](Server& s) { s.stop_instances(sets.at(s.name()).old_set); }, switched));
    if (!report && !r.complete()) {
        throw Error(r.summary());
    }
}

std::vector<manifest::ServiceSpec>
resolve_services(const manifest::StackSpec& stack,
                 const std::map<std::string, std::string>& process_types) {
    std::vector<manifest::ServiceSpec> services = stack.services;
    if (services.empty()) {
        for (const auto& [name, command] : process_types) {
            if (name != "release") {
                manifest::ServiceSpec svc;
                svc.name = name;
                services.push_back(svc);
            }
        }
    }
    for (auto& svc : services) {
        if (svc.command.empty()) {
            auto it = process_types.find(svc.name);
            if (it == process_types.end()) {
                fail("stack {}: service {}: no command (set command: in widemesh.yaml or add "
                     "'{}:' to the Procfile)",
                     stack.name, svc.name, svc.name);
            }
            svc.command = it->second;
        }
    }
    if (services.empty()) {
        fail("stack {}: nothing to run (no services and no process types)", stack.name);
    }
    return services;
}

nlohmann::json services_to_json(const std::vector<manifest::ServiceSpec>& services) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : services) {
        nlohmann::json j{{"name", s.name},
                         {"command", s.command},
                         {"instances", s.instances},
                         {"health_path", s.health.path},
                         {"health_timeout", s.health.timeout_seconds},
                         {"health_uptime", s.health.uptime_seconds},
                         {"schedule", s.schedule},
                         {"singleton", s.singleton}};
        if (s.memory_bytes) {
            j["memory_bytes"] = *s.memory_bytes;
        }
        out.push_back(j);
    }
    return out;
}

std::vector<manifest::ServiceSpec> services_from_json(const nlohmann::json& j) {
    std::vector<manifest::ServiceSpec> out;
    for (const auto& item : j) {
        manifest::ServiceSpec s;
        s.name = item.value("name", "");
        s.command = item.value("command", "");
        s.instances = item.value("instances", 1);
        s.health.path = item.value("health_path", "");
        s.health.timeout_seconds = item.value("health_timeout", 30);
        s.health.uptime_seconds = item.value("health_uptime", 0);
        s.schedule = item.value("schedule", "");
        s.singleton = item.value("singleton", false);
        if (item.contains("memory_bytes")) {
            s.memory_bytes = item["memory_bytes"].get<std::uint64_t>();
        }
        out.push_back(s);
    }
    return out;
}

} // namespace wm::ops
