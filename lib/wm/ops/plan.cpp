#include <wm/base/error.hpp>
#include <wm/ops/plan.hpp>
#include <wm/rack/inventory.hpp>

#include <fmt/format.h>

namespace wm::ops {

namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : sep) + item;
    }
    return out;
}

std::vector<std::string> select_stacks(const manifest::Manifest& m, const std::string& stack) {
    std::vector<std::string> names;
    for (const auto& s : m.stacks) {
        names.push_back(s.name);
    }
    if (stack.empty()) {
        return names;
    }
    if (m.find_stack(stack) == nullptr) {
        throw usage_error(fmt::format("unknown stack '{}' (stacks: {})", stack, join(names, ", ")));
    }
    return {stack};
}

std::string describe_services(const manifest::StackSpec& stack) {
    if (stack.services.empty()) {
        return "the release's process types, 1 instance each";
    }
    std::vector<std::string> parts;
    for (const auto& svc : stack.services) {
        parts.push_back(fmt::format("{} x{}", svc.name, svc.instances));
    }
    return join(parts, ", ");
}

void describe_server(std::vector<std::string>& out, const DeployPlan& plan, const PlannedRack& rack,
                     const PlannedServer& server, bool first) {
    out.push_back(fmt::format("  server {}", server.name));
    out.push_back(fmt::format("    1. lease    take {}'s deploy lease", plan.environment));
    for (const auto& stack : rack.resolved.stacks) {
        if (std::find(plan.stacks.begin(), plan.stacks.end(), stack.name) == plan.stacks.end()) {
            continue;
        }
        out.push_back(fmt::format("    2. upload   slug of stack {} if missing; unpack "
                                  "apps/{}/{}/releases/v<N>",
                                  stack.name, plan.app_env().path(), stack.name));
        if (first) {
            out.push_back("    3. release  run the release command (once, on this server)");
        }
        out.push_back(fmt::format("    4. start    {}; wait for health", describe_services(stack)));
    }
    out.push_back(fmt::format("    5. switch   proxy for {} to the new web instances; stop the "
                              "old ones",
                              rack.resolved.alias));
    out.push_back(fmt::format("    6. record   deployment v<N>; keep {} releases; release the "
                              "lease",
                              plan.keep_releases));
}

} // namespace

std::vector<PlannedServer> DeployPlan::servers() const {
    std::vector<PlannedServer> all;
    for (const auto& rack : racks) {
        all.insert(all.end(), rack.servers.begin(), rack.servers.end());
    }
    return all;
}

std::vector<PlannedServer> rack_servers(const manifest::RackSpec& rack) {
    PlannedServer base{std::string(manifest::k_local_rack),
                       rack.name,
                       true,
                       {},
                       rack.http_port,
                       rack.https_port,
                       rack.alias_domain};
    if (rack.is_local()) {
        return {base};
    }
    if (rack.servers.empty()) {
        fail("rack {}: no servers (add servers: to the rack in widemesh.yaml)", rack.name);
    }
    std::vector<PlannedServer> out;
    for (const auto& s : rack.servers) {
        PlannedServer server = base;
        server.name = rack::server_name(s);
        server.local = false;
        server.ssh = rack::to_ssh_target(rack, s);
        out.push_back(server);
    }
    return out;
}

DeployPlan make_plan(const manifest::Manifest& m, const std::string& environment,
                     const std::string& stack) {
    DeployPlan plan;
    plan.stacks = select_stacks(m, stack);
    std::string name = environment;
    if (name.empty()) {
        name = m.environments.empty() ? "production" : m.environments.front().name;
    }
    manifest::ResolvedEnvironment env = manifest::resolve(m, name);
    plan.app = env.app;
    plan.environment = env.name;
    plan.keep_releases = env.keep_releases;
    plan.build = m.build;
    for (auto& rack : env.racks) {
        std::vector<PlannedServer> servers = rack_servers(rack.rack);
        plan.racks.push_back({std::move(rack), std::move(servers), plan.racks.empty()});
    }
    return plan;
}

std::vector<std::string> plan_urls(const DeployPlan& plan) {
    std::vector<std::string> urls;
    for (const auto& rack : plan.racks) {
        const manifest::RackSpec& spec = rack.resolved.rack;
        std::string port = spec.http_port == 80 ? "" : fmt::format(":{}", spec.http_port);
        if (spec.is_local()) {
            urls.push_back(
                fmt::format("http://{}{}", alias_host(plan.app_env(), "localhost"), port));
            continue;
        }
        std::vector<std::string> addresses;
        for (const auto& server : rack.servers) {
            addresses.push_back(server.ssh.address + port);
        }
        // Without an alias_domain the servers route <app>-<env>.localhost (the same fallback
        // as the proxy's sites), reachable with that Host header: never print a bare "http://".
        if (rack.resolved.alias.empty()) {
            urls.push_back(fmt::format(
                "http://{}{} (servers: {}; no alias_domain: send this Host header to a server, "
                "or set racks.{}.alias_domain)",
                alias_host(plan.app_env(), "localhost"), port, join(addresses, ", "), spec.name));
            continue;
        }
        urls.push_back(fmt::format("http://{}{} (servers: {})", rack.resolved.alias, port,
                                   join(addresses, ", ")));
    }
    return urls;
}

std::vector<std::string> describe_plan(const DeployPlan& plan, const std::string& ref) {
    std::vector<std::string> out;
    out.push_back(fmt::format("deploy {} of app {} to environment {} (stacks: {})", ref, plan.app,
                              plan.environment, join(plan.stacks, ", ")));
    bool first = true;
    for (const auto& rack : plan.racks) {
        out.push_back(fmt::format("rack {} ({}, {} server{})", rack.resolved.rack.name,
                                  manifest::to_string(rack.resolved.rack.provider),
                                  rack.servers.size(), rack.servers.size() == 1 ? "" : "s"));
        for (const auto& server : rack.servers) {
            describe_server(out, plan, rack, server, first);
            first = false;
        }
    }
    for (const auto& url : plan_urls(plan)) {
        out.push_back("then serving: " + url);
    }
    return out;
}

} // namespace wm::ops
