#include <wm/base/error.hpp>
#include <wm/deployment/deployment.hpp>

namespace wm {

namespace {

template <typename T>
void read(const nlohmann::json& j, const char* key, T& into) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        return;
    }
    try {
        into = it->get<T>();
    } catch (const nlohmann::json::exception& e) {
        fail("deployment record: \"{}\": {}", key, e.what());
    }
}

nlohmann::json activations_json(const std::vector<ActivationRecord>& all) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : all) {
        out.push_back({{"kind", a.kind}, {"from", a.from}, {"who", a.who}, {"when", a.when}});
    }
    return out;
}

std::vector<ActivationRecord> activations_from(const nlohmann::json& j) {
    std::vector<ActivationRecord> out;
    if (!j.contains("activations") || !j["activations"].is_array()) {
        return out;
    }
    for (const auto& a : j["activations"]) {
        ActivationRecord act;
        read(a, "kind", act.kind);
        read(a, "from", act.from);
        read(a, "who", act.who);
        read(a, "when", act.when);
        out.push_back(act);
    }
    return out;
}

} // namespace

nlohmann::json to_json(const Deployment& d) {
    nlohmann::json j{
        {"schema", d.schema},
        {"app", d.app},
        {"environment", d.environment},
        {"stack", d.stack},
        {"version", d.version},
        {"kind", d.kind},
        {"commit", d.commit},
        {"short_commit", d.short_commit},
        {"subject", d.subject},
        {"author", d.author},
        {"dirty", d.dirty},
        {"slug_sha256", d.slug_sha256},
        {"who", d.who},
        {"started", d.started},
        {"finished", d.finished},
        {"status", d.status},
        {"error", d.error},
        {"servers", d.servers},
        {"services", d.services},
        {"fingerprint", d.fingerprint},
    };
    if (!d.description.empty()) {
        j["description"] = d.description;
    }
    if (!d.activations.empty()) {
        j["activations"] = activations_json(d.activations);
    }
    return j;
}

Deployment deployment_from_json(const nlohmann::json& j) {
    if (!j.is_object()) {
        fail("deployment record: not a JSON object");
    }
    Deployment d;
    read(j, "schema", d.schema);
    read(j, "app", d.app);
    read(j, "environment", d.environment);
    read(j, "stack", d.stack);
    read(j, "version", d.version);
    read(j, "kind", d.kind);
    read(j, "commit", d.commit);
    read(j, "short_commit", d.short_commit);
    read(j, "subject", d.subject);
    read(j, "author", d.author);
    read(j, "dirty", d.dirty);
    read(j, "slug_sha256", d.slug_sha256);
    read(j, "who", d.who);
    read(j, "started", d.started);
    read(j, "finished", d.finished);
    read(j, "status", d.status);
    read(j, "error", d.error);
    read(j, "servers", d.servers);
    read(j, "services", d.services);
    read(j, "fingerprint", d.fingerprint);
    read(j, "description", d.description);
    d.activations = activations_from(j);
    return d;
}

} // namespace wm
