#include <wm/manifest/checks.hpp>
#include <wm/manifest/detail/validate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace wm::manifest::detail {

namespace {

template <typename T>
std::vector<std::string> names_of(const std::vector<T>& items) {
    std::vector<std::string> names;
    for (const auto& item : items) {
        names.push_back(item.name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

/// `unknown rack "eu2" (did you mean "eu"?)`, or with the known names when nothing is close.
std::string unknown(const std::string& what, const std::string& name,
                    const std::vector<std::string>& known) {
    if (auto hint = suggest(name, known); !hint.empty()) {
        return fmt::format("unknown {} \"{}\" (did you mean \"{}\"?)", what, name, hint);
    }
    return fmt::format("unknown {} \"{}\" (known: {})", what, name,
                       known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", ")));
}

void complete_rack(RackSpec& r);

// Server fields end up in ssh's and wm's command lines: only plain names pass.
void check_server(const ServerSpec& s, const std::string& path, Diagnostics& diag) {
    if (auto p = server_address_problem(s.address); !p.empty()) {
        diag.add(path, p);
    }
    if (!s.user.empty()) {
        if (auto p = login_name_problem(s.user); !p.empty()) {
            diag.add(path, p);
        }
    }
}

/// The provider and the servers agree (an unknown provider was already reported by the parser).
void check_provider(const RackSpec& r, const std::string& path, Diagnostics& diag) {
    if (diag.reported(join_path(path, "provider"))) {
        return;
    }
    if (r.name == k_local_rack && !r.is_local()) {
        diag.add(join_path(path, "provider"),
                 "the rack name \"local\" is reserved for the local provider");
    } else if (r.is_local() && !r.servers.empty()) {
        diag.add(join_path(path, "servers"), "a rack of the local provider has no servers");
    } else if (!r.is_local() && r.servers.empty()) {
        std::string servers = join_path(path, "servers");
        if (!diag.seen(servers)) {
            diag.add(path, "missing required key \"servers\" (a static rack needs at least one)");
        } else if (!diag.reported(servers)) {
            diag.add(servers, "a static rack needs at least one server");
        }
    }
}

void check_rack(RackSpec& r, Diagnostics& diag) {
    std::string path = join_path("racks", r.name);
    check_provider(r, path, diag);
    if (!r.alias_domain.empty()) {
        if (auto p = domain_problem(r.alias_domain); !p.empty()) {
            diag.add(join_path(path, "alias_domain"), p);
        }
    }
    for (const char* key : {"http_port", "https_port"}) {
        int port = std::string(key) == "http_port" ? r.http_port : r.https_port;
        if (port < 0 || port > 65535) {
            diag.add(join_path(path, key), fmt::format("port {} out of range 1-65535", port));
        }
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < r.servers.size(); ++i) {
        const auto& address = r.servers[i].address;
        check_server(r.servers[i], index_path(join_path(path, "servers"), i), diag);
        if (!address.empty() && !seen.insert(address).second) {
            diag.add(index_path(join_path(path, "servers"), i),
                     fmt::format("duplicate server \"{}\"", address));
        }
    }
    complete_rack(r);
}

/// Defaults of a rack not read from the file (the embedded local rack, registered racks).
void complete_rack(RackSpec& r) {
    for (auto& s : r.servers) {
        s.name = s.name.empty() ? s.address : s.name;
    }
    r.region = r.region.empty() ? r.name : r.region;
    if (r.is_local() && r.alias_domain.empty()) {
        r.alias_domain = "localhost";
    }
}

void check_racks(Manifest& m, Diagnostics& diag, const std::vector<RackSpec>& registered) {
    if (!m.find_rack(std::string(k_local_rack))) {
        RackSpec local;
        local.name = k_local_rack;
        local.provider = Provider::local;
        m.racks.insert(m.racks.begin(), local);
    }
    for (auto& r : m.racks) {
        check_rack(r, diag);
    }
    for (const auto& r : registered) {
        if (!m.find_rack(r.name)) {
            m.racks.push_back(r);
            m.racks.back().registered = true;
            complete_rack(m.racks.back());
        }
    }
}

/// Whether `stack.service` names a service of the manifest; reports the problem otherwise.
/// With `require_declared`, a stack without declared services matches nothing.
bool check_service_ref(const Manifest& m, const std::string& stack, const std::string& service,
                       const std::string& path, Diagnostics& diag, bool require_declared) {
    const StackSpec* st = m.find_stack(stack);
    if (!st) {
        diag.add(path, unknown("stack", stack, names_of(m.stacks)));
        return false;
    }
    if (st->services.empty() && require_declared) {
        diag.add(path, fmt::format("stack \"{}\" declares no services; add \"{}\" under "
                                   "stacks.{}.services to set its instances",
                                   stack, service, stack));
        return false;
    }
    if (st->services.empty()) {
        return true; // services come from the release's process types, known only at build
    }
    if (std::none_of(st->services.begin(), st->services.end(),
                     [&](const ServiceSpec& s) { return s.name == service; })) {
        diag.add(path, unknown(fmt::format("service of stack \"{}\":", stack), service,
                               names_of(st->services)));
        return false;
    }
    return true;
}

void check_environment(const Manifest& m, EnvironmentSpec& e, Diagnostics& diag) {
    std::string path = join_path("environments", e.name);
    if (e.racks.empty()) {
        e.racks = {std::string(k_local_rack)};
    }
    std::set<std::string> regions;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < e.racks.size(); ++i) {
        std::string rack_path = index_path(join_path(path, "racks"), i);
        if (const RackSpec* r = m.find_rack(e.racks[i])) {
            regions.insert(r->region);
        } else {
            diag.add(rack_path, unknown("rack", e.racks[i], names_of(m.racks)) +
                                    (suggest(e.racks[i], names_of(m.racks)).empty()
                                         ? "; declare it under racks: or register it with wm "
                                           "rack add"
                                         : ""));
        }
        if (!seen.insert(e.racks[i]).second) {
            diag.add(rack_path, fmt::format("rack \"{}\" is listed twice", e.racks[i]));
        }
    }
    for (const auto& o : e.regions) {
        std::string region_path = join_path(join_path(path, "regions"), o.region);
        if (regions.count(o.region) == 0) {
            diag.add(region_path, fmt::format("no rack of environment \"{}\" is in region \"{}\" "
                                              "(regions: {})",
                                              e.name, o.region, fmt::join(regions, ", ")));
        }
        for (const auto& [key, count] : o.instances) {
            std::string count_path = join_path(join_path(region_path, "instances"), key);
            auto dot = key.find('.');
            if (dot == std::string::npos) {
                diag.add(count_path,
                         fmt::format("expected \"<stack>.<service>\", got \"{}\"", key));
            } else {
                check_service_ref(m, key.substr(0, dot), key.substr(dot + 1), count_path, diag,
                                  true);
            }
            if (count < 0) {
                diag.add(count_path, fmt::format("instance count {} is negative", count));
            }
        }
    }
}

void check_service(const StackSpec& st, const ServiceSpec& s, Diagnostics& diag) {
    std::string path = join_path(join_path(join_path("stacks", st.name), "services"), s.name);
    std::string label = st.name + "-" + s.name;
    if (label.size() > 63 && dns_label_problem(st.name).empty() &&
        dns_label_problem(s.name).empty()) {
        diag.add(path, fmt::format("\"{}\" (stack-service, used as a DNS label) is longer than "
                                   "63 characters",
                                   label));
    }
    if (s.singleton && (s.is_web() || s.instances > 1)) {
        diag.add(join_path(path, "singleton"),
                 s.is_web() ? "web cannot be a singleton (it serves on every server)"
                            : fmt::format("a singleton runs one instance per environment "
                                          "(instances is {})",
                                          s.instances));
    }
    std::string health = join_path(path, "health");
    if (auto p = s.health.path.empty() ? "" : url_path_problem(s.health.path, false); !p.empty()) {
        diag.add(join_path(health, "path"), "health check " + p);
    }
    if (s.health.timeout_seconds < 1) {
        diag.add(join_path(health, "timeout"),
                 fmt::format("timeout {} must be at least 1 second", s.health.timeout_seconds));
    }
    if (s.health.uptime_seconds != 0 &&
        (s.health.uptime_seconds < 1 || s.health.uptime_seconds >= s.health.timeout_seconds)) {
        diag.add(join_path(health, "uptime"),
                 fmt::format("uptime {} must be at least 1 second and below health.timeout ({})",
                             s.health.uptime_seconds, s.health.timeout_seconds));
    }
    if (s.health.interval_seconds < 1) {
        diag.add(join_path(health, "interval"),
                 fmt::format("interval {} must be at least 1 second", s.health.interval_seconds));
    }
}

void check_stack(const StackSpec& st, Diagnostics& diag) {
    std::string path = join_path("stacks", st.name);
    if (st.release_timeout_seconds < 1) {
        diag.add(join_path(path, "release_timeout"),
                 fmt::format("release_timeout {} must be at least 1 second",
                             st.release_timeout_seconds));
    }
    if (st.formula != "buildpack" && st.formula != "dockerfile") {
        diag.add(join_path(path, "formula"),
                 fmt::format("unknown formula \"{}\" (known: buildpack, dockerfile)", st.formula));
    }
    if (st.formula == "dockerfile" && !st.buildpacks.empty()) {
        diag.add(join_path(path, "buildpacks"),
                 "buildpacks apply to the buildpack formula only (this stack uses dockerfile)");
    }
    std::filesystem::path p(st.path);
    bool escapes = std::any_of(p.begin(), p.end(), [](const auto& part) { return part == ".."; });
    if (st.path.empty() || p.is_absolute() || escapes) {
        diag.add(join_path(path, "path"),
                 fmt::format("path \"{}\" must be relative to the repository and stay inside it",
                             st.path));
    }
    for (const auto& s : st.services) {
        check_service(st, s, diag);
    }
}

void check_endpoint(const Manifest& m, const EndpointSpec& e, Diagnostics& diag) {
    std::string path = join_path("endpoints", e.domain);
    for (std::size_t i = 0; i < e.environments.size(); ++i) {
        if (!m.find_environment(e.environments[i])) {
            diag.add(index_path(join_path(path, "environments"), i),
                     unknown("environment", e.environments[i], names_of(m.environments)));
        }
    }
    for (const auto& r : e.routes) {
        std::string route_path = join_path(join_path(path, "routes"), r.path);
        if (auto p = url_path_problem(r.path, true); !p.empty()) {
            diag.add(route_path, "route " + p);
        }
        if (r.stack.empty() || r.service.empty() ||
            !check_service_ref(m, r.stack, r.service, route_path, diag, false)) {
            continue;
        }
        const StackSpec* st = m.find_stack(r.stack);
        for (const auto& s : st->services) {
            if (s.name == r.service && s.is_cron()) {
                diag.add(route_path, fmt::format("service \"{}.{}\" is a cron service and "
                                                 "cannot receive traffic",
                                                 r.stack, r.service));
            }
        }
    }
}

} // namespace

void complete_and_check(Manifest& m, Diagnostics& diag, const std::vector<RackSpec>& registered) {
    check_racks(m, diag, registered);
    if (m.stacks.empty()) {
        StackSpec app;
        app.name = "app";
        m.stacks.push_back(app);
    }
    for (const auto& st : m.stacks) {
        check_stack(st, diag);
    }
    if (m.environments.empty()) {
        EnvironmentSpec production;
        production.name = "production";
        m.environments.push_back(production);
    }
    for (auto& e : m.environments) {
        check_environment(m, e, diag);
    }
    for (const auto& e : m.endpoints) {
        check_endpoint(m, e, diag);
    }
}

} // namespace wm::manifest::detail
