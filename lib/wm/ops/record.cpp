#include <wm/ops/record.hpp>

namespace wm::ops {

std::string who_of(const Identity& who) { return who.user + "@" + who.control_host; }

void set_source(Deployment& d, const build::SourceInfo& source) {
    d.commit = source.commit;
    d.short_commit = source.short_commit;
    d.subject = source.subject;
    d.author = source.author;
    d.dirty = source.dirty;
}

void store_record(Fleet& fleet, const Deployment& d, const std::string& log, Env& env) {
    warn_each(env.reporter, "could not store the deployment record: ",
              fleet.each_collect("record", [&](Server& s) {
                  s.record_deployment(d.app_env(), d.stack, d.version, d, log);
              }));
    env.journal.record(d, log);
}

std::string format_log(const std::vector<Event>& events) {
    std::string out;
    for (const auto& e : events) {
        if (e.kind == "timing") { // how long it took is for the one who watched, not the record
            continue;
        }
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
