#include <wm/ops/record.hpp>

namespace wm::ops {

nlohmann::json make_record(const DeploymentFacts& f, const Identity& who) {
    return {
        {"schema", k_record_schema},
        {"app", f.app},
        {"environment", f.environment},
        {"stack", f.stack},
        {"version", f.version},
        {"kind", f.kind},
        {"commit", f.source.commit},
        {"short_commit", f.source.short_commit},
        {"subject", f.source.subject},
        {"author", f.source.author},
        {"dirty", f.source.dirty},
        {"slug_sha256", f.sha256},
        {"who", who.user + "@" + who.control_host},
        {"started", f.started},
        {"finished", f.finished},
        {"status", f.status},
        {"error", f.error},
        {"servers", f.servers},
        {"services", f.services},
        {"fingerprint", f.fingerprint},
    };
}

std::string format_log(const std::vector<Event>& events) {
    std::string out;
    for (const auto& e : events) {
        if (e.kind == "step") {
            out += "==> " + e.message + "\n";
            continue;
        }
        std::string prefix = e.kind == "warn" ? "warning: " : "";
        out += prefix + (e.server.empty() ? "" : e.server + ": ") + e.message + "\n";
    }
    return out;
}

} // namespace wm::ops
