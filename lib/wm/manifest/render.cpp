#include <wm/manifest/render.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace wm::manifest {

namespace {

using Json = nlohmann::ordered_json;

Json server_json(const ServerSpec& s) {
    return {{"name", s.name},
            {"address", s.address},
            {"user", s.user},
            {"port", s.port},
            {"key", s.key}};
}

Json service_json(const ServiceSpec& s) {
    Json j = {{"command", s.command}, {"instances", s.instances}};
    j["memory_bytes"] = s.memory_bytes ? Json(*s.memory_bytes) : Json(nullptr);
    if (s.is_cron()) {
        j["schedule"] = s.schedule;
    } else {
        bool strict = !s.health.path.empty();
        j["health"] = {{"path", strict ? s.health.path : "/"},
                       {"healthy", strict ? "2xx" : "below 500"},
                       {"timeout", s.health.timeout_seconds},
                       {"interval", s.health.interval_seconds}};
    }
    return j;
}

Json stack_json(const StackSpec& st) {
    Json services = Json::object();
    for (const auto& s : st.services) {
        services[s.name] = service_json(s);
    }
    return {{"path", st.path},
            {"formula", st.formula},
            {"buildpacks", st.buildpacks},
            {"release", st.release_command},
            {"config", st.config},
            {"services", services}};
}

Json rack_json(const ResolvedRack& r) {
    Json servers = Json::array();
    for (const auto& s : r.rack.servers) {
        servers.push_back(server_json(s));
    }
    Json stacks = Json::object();
    for (const auto& st : r.stacks) {
        stacks[st.name] = stack_json(st);
    }
    return {{"provider", std::string(to_string(r.rack.provider))},
            {"region", r.rack.region},
            {"alias", r.alias},
            {"http_port", r.rack.http_port},
            {"https_port", r.rack.https_port},
            {"servers", servers},
            {"stacks", stacks}};
}

Json endpoint_json(const EndpointSpec& e) {
    Json routes = Json::object();
    for (const auto& r : e.routes) {
        routes[r.path] = r.stack + "." + r.service;
    }
    return {{"environments", e.environments}, {"routes", routes}};
}

void emit(YAML::Emitter& out, const Json& j) {
    if (j.empty() && (j.is_object() || j.is_array())) {
        out << YAML::Flow << (j.is_object() ? YAML::BeginMap : YAML::BeginSeq)
            << (j.is_object() ? YAML::EndMap : YAML::EndSeq);
    } else if (j.is_object()) {
        out << YAML::BeginMap;
        for (const auto& [k, v] : j.items()) {
            out << YAML::Key << k << YAML::Value;
            emit(out, v);
        }
        out << YAML::EndMap;
    } else if (j.is_array()) {
        bool scalars =
            std::none_of(j.begin(), j.end(), [](const Json& v) { return v.is_structured(); });
        out << (scalars ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
        for (const auto& v : j) {
            emit(out, v);
        }
        out << YAML::EndSeq;
    } else if (j.is_string()) {
        out << j.get<std::string>();
    } else if (j.is_null()) {
        out << YAML::Null;
    } else {
        out << j.dump(); // numbers, booleans
    }
}

} // namespace

nlohmann::ordered_json to_json(const ResolvedEnvironment& env) {
    Json racks = Json::object();
    for (const auto& r : env.racks) {
        racks[r.rack.name] = rack_json(r);
    }
    Json endpoints = Json::object();
    for (const auto& e : env.endpoints) {
        endpoints[e.domain] = endpoint_json(e);
    }
    return {{"app", env.app},       {"environment", env.name}, {"keep_releases", env.keep_releases},
            {"config", env.config}, {"racks", racks},          {"endpoints", endpoints}};
}

std::string to_yaml_text(const ResolvedEnvironment& env) {
    YAML::Emitter out;
    out.SetIndent(2);
    emit(out, to_json(env));
    return std::string(out.c_str()) + "\n";
}

std::string summary(const Manifest& m) {
    std::size_t services = 0;
    for (const auto& st : m.stacks) {
        services += st.services.size();
    }
    auto plural = [](std::size_t n, const char* word) {
        return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
    };
    return fmt::format("app {}: {}, {}, {}", m.app, plural(m.stacks.size(), "stack"),
                       plural(services, "service"), plural(m.environments.size(), "environment"));
}

} // namespace wm::manifest
