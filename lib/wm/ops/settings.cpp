#include <wm/base/error.hpp>
#include <wm/build/record.hpp>
#include <wm/ops/activate.hpp>
#include <wm/ops/settings.hpp>
#include <wm/state/store.hpp>

#include <fmt/format.h>

namespace wm::ops {

ServerSettings read_settings(Server& server, const DeployPlan& plan) {
    ServerSettings out;
    out.config = server.read_config_store(plan.app_env(), "");
    out.hash_key = server.hash_key(plan.app_env());
    for (const auto& stack : plan.racks.front().resolved.stacks) {
        out.stack_config[stack.name] = server.read_config_store(plan.app_env(), stack.name);
        out.scale[stack.name] = server.read_scale(plan.app_env(), stack.name);
    }
    return out;
}

DeployPlan with_settings(DeployPlan plan, const ServerSettings& settings) {
    for (auto& rack : plan.racks) {
        for (auto& stack : rack.resolved.stacks) {
            for (const auto& [k, v] : settings.config) {
                stack.config[k] = v;
            }
            if (auto it = settings.stack_config.find(stack.name);
                it != settings.stack_config.end()) {
                for (const auto& [k, v] : it->second) {
                    stack.config[k] = v;
                }
            }
        }
    }
    plan.scale = settings.scale;
    plan.hash_key = settings.hash_key;
    return plan;
}

std::vector<manifest::ServiceSpec> scaled(std::vector<manifest::ServiceSpec> services,
                                          const rack::ScaleSettings& settings) {
    for (auto& svc : services) {
        auto it = settings.find(svc.name);
        if (it != settings.end() && it->second.manifest == svc.instances) {
            svc.instances = it->second.instances;
        }
    }
    return services;
}

std::optional<int> running_version(Server& server, const AppEnv& ae, const std::string& stack) {
    std::optional<int> v;
    for (const auto& i : server.list_instances(ae)) {
        if (i.stack == stack && (!v || i.version > *v)) {
            v = i.version;
        }
    }
    return v;
}

std::vector<manifest::ServiceSpec> recorded_services(Server& server, const AppEnv& ae,
                                                     const std::string& stack, int version,
                                                     const std::string& rack) {
    std::optional<Deployment> record = server.read_deployment(ae, stack, version, nullptr);
    if (!record || !record->services.contains(rack)) {
        fail("stack {} v{} has no deployment record for rack {} on {}; deploy it again", stack,
             version, rack, server.name());
    }
    return services_from_json(record->services[rack]);
}

RunningSlugs::RunningSlugs(Server& server, AppEnv ae, std::filesystem::path state_dir)
    : m_server(server), m_ae(std::move(ae)), m_state_dir(std::move(state_dir)) {}

build::BuildResult RunningSlugs::build(const build::BuildRequest& request, Reporter& reporter) {
    const std::string& stack = request.stack.name;
    std::optional<int> v = running_version(m_server, m_ae, stack);
    if (!v) {
        fail("stack {} does not run in {} on {}: deploy it first", stack, m_ae.env,
             m_server.name());
    }
    build::BuildResult r = build::result_of_release(m_server.read_release_json(m_ae, stack, *v));
    // Servers that lack the slug get this laptop's copy, when it built it.
    r.slug_path = state::Store(m_state_dir).slugs_dir() / (r.sha256 + ".tar.zst");
    reporter.info(fmt::format("reusing the slug of stack {} v{} (no build)", stack, *v));
    return r;
}

} // namespace wm::ops
