#include <wm/base/process.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/status.hpp>

#include <fmt/format.h>

#include <chrono>
#include <sstream>

namespace wm::rack {

namespace {

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string human_bytes(std::uint64_t b) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(b);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    return fmt::format("{:.1f} {}", v, units[u]);
}

std::string supervisor_text(const ServerStatus& s) {
    if (!s.supervisor_pid) {
        return "supervisor stopped";
    }
    return fmt::format("supervisor running (pid {}, {} service{})", *s.supervisor_pid, s.services,
                       s.services == 1 ? "" : "s");
}

} // namespace

std::string status_command(const Layout& layout) {
    return fmt::format(
               R"SH(root={root}
. /etc/os-release 2>/dev/null; echo "os=${{PRETTY_NAME:-unknown}}"
d=$root; while [ ! -d "$d" ]; do d=$(dirname "$d"); done
echo "disk_free_kb=$(df -Pk "$d" | awk 'NR==2 {{print $4}}')"
for t in runsvdir caddy bwrap; do
	if command -v $t >/dev/null 2>&1; then echo "$t=yes"; else echo "$t=no"; fi
done
echo "layout=$(cat "$root/VERSION" 2>/dev/null)"
)SH",
               fmt::arg("root", shell_quote(layout.root))) +
           supervisor_probe_command(layout);
}

void parse_status(const std::string& output, ServerStatus& status) {
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line)) {
        auto eq = line.find('=');
        if (eq == std::string::npos) {
            continue;
        }
        std::string key = line.substr(0, eq);
        std::string value = line.substr(eq + 1);
        if (key == "os") {
            status.os = value;
        } else if (key == "disk_free_kb" && !value.empty()) {
            status.disk_free_bytes = std::stoull(value) * 1024;
        } else if (key == "runsvdir") {
            status.runit = value == "yes";
        } else if (key == "caddy") {
            status.caddy = value == "yes";
        } else if (key == "bwrap") {
            status.bwrap = value == "yes";
        } else if (key == "layout") {
            status.layout_version = value;
        } else if (key == "supervisor" && !value.empty()) {
            status.supervisor_pid = std::stoi(value);
        } else if (key == "services" && !value.empty()) {
            status.services = std::stoi(value);
        }
    }
}

ServerStatus probe_status(transport::Transport& t, const Layout& layout) {
    ServerStatus s;
    s.server = t.name();
    auto start = std::chrono::steady_clock::now();
    t.run("true");
    s.rtt_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    auto r = transport::run_checked(t, "status", status_command(layout));
    parse_status(r.out, s);
    s.reachable = true;
    return s;
}

std::vector<ServerStatus> rack_status(const manifest::RackSpec& rack, const Layout& layout,
                                      const transport::SshOptions& ssh, Reporter& reporter,
                                      const FanOutOptions& options) {
    auto outcomes = on_each_server<ServerStatus>(
        rack, ssh, reporter, [&](transport::Transport& t) { return probe_status(t, layout); },
        options);
    std::vector<ServerStatus> out;
    for (auto& o : outcomes) {
        if (o.ok()) {
            out.push_back(*o.value);
        } else {
            ServerStatus s;
            s.server = o.server;
            s.reason = reason_of(*o.error);
            out.push_back(s);
        }
    }
    return out;
}

nlohmann::json to_json(const ServerStatus& s) {
    nlohmann::json j = {{"server", s.server}, {"reachable", s.reachable}};
    if (!s.reachable) {
        j["reason"] = s.reason;
        return j;
    }
    j["rtt_ms"] = s.rtt_ms;
    j["os"] = s.os;
    j["disk_free_bytes"] = s.disk_free_bytes ? nlohmann::json(*s.disk_free_bytes) : nullptr;
    j["runit"] = s.runit;
    j["caddy"] = s.caddy;
    j["bubblewrap"] = s.bwrap;
    j["layout_version"] =
        s.layout_version.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.layout_version);
    j["supervisor"] = {{"running", s.supervisor_pid.has_value()},
                       {"pid", s.supervisor_pid ? nlohmann::json(*s.supervisor_pid) : nullptr},
                       {"services", s.services}};
    return j;
}

std::string render_status(const std::vector<ServerStatus>& servers) {
    std::string out;
    for (const auto& s : servers) {
        if (!s.reachable) {
            out += fmt::format("{}: unreachable: {}\n", s.server, s.reason);
            continue;
        }
        out += fmt::format(
            "{}: reachable, rtt {:.1f} ms, {}, free {}, runit {}, caddy {}, "
            "bubblewrap {}, layout {}, {}\n",
            s.server, s.rtt_ms, s.os, s.disk_free_bytes ? human_bytes(*s.disk_free_bytes) : "?",
            yes_no(s.runit), yes_no(s.caddy), yes_no(s.bwrap),
            s.layout_version.empty() ? "none (run wm rack bootstrap)" : "v" + s.layout_version,
            supervisor_text(s));
    }
    return out;
}

} // namespace wm::rack
