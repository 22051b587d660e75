#include <wm/base/process.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/status.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <sstream>
#include <tuple>

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

/// "<app> <env> <stack> <N or ->" of the probe.
std::optional<ServedStack> parse_served(const std::string& value) {
    std::istringstream in(value);
    ServedStack s;
    std::string version;
    if (!(in >> s.app_env.app >> s.app_env.env >> s.stack >> version)) {
        return std::nullopt;
    }
    if (!version.empty() && version.find_first_not_of("0123456789") == std::string::npos &&
        version.size() < 10) {
        s.version = std::stoi(version);
    }
    return s;
}

nlohmann::json served_json(const std::vector<ServedStack>& served) {
    nlohmann::json out = nlohmann::json::array();
    for (const ServedStack& s : served) {
        if (out.empty() || out.back()["app"] != s.app_env.app ||
            out.back()["environment"] != s.app_env.env) {
            out.push_back({{"app", s.app_env.app},
                           {"environment", s.app_env.env},
                           {"stacks", nlohmann::json::array()}});
        }
        out.back()["stacks"].push_back(
            {{"stack", s.stack},
             {"version", s.version < 0 ? nlohmann::json(nullptr) : nlohmann::json(s.version)}});
    }
    return out;
}

std::string render_served(const std::vector<ServedStack>& served) {
    if (served.empty()) {
        return "  serves no app yet\n";
    }
    std::string out;
    for (size_t i = 0; i < served.size(); ++i) {
        const ServedStack& s = served[i];
        bool first = i == 0 || served[i - 1].app_env != s.app_env;
        bool last = i + 1 == served.size() || served[i + 1].app_env != s.app_env;
        out += first ? fmt::format("  serves {} (", s.app_env.path()) : ", ";
        out += s.version < 0 ? s.stack + " no deployment recorded"
                             : fmt::format("{} v{}", s.stack, s.version);
        out += last ? ")\n" : "";
    }
    return out;
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
for d in "$root"/apps/*/*/*/; do
	[ -d "$d" ] || continue
	s=${{d%/}}; stack=${{s##*/}}; s=${{s%/*}}; env=${{s##*/}}; s=${{s%/*}}; app=${{s##*/}}
	v=$(ls "$d"deployments 2>/dev/null | sed -n 's/^v\([0-9]*\)\.json$/\1/p' | sort -n | tail -n 1)
	echo "served=$app $env $stack ${{v:--}}"
done
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
        } else if (key == "served") {
            if (auto s = parse_served(value)) {
                status.served.push_back(*s);
            }
        }
    }
    std::sort(status.served.begin(), status.served.end(), [](const auto& a, const auto& b) {
        return std::tie(a.app_env, a.stack) < std::tie(b.app_env, b.stack);
    });
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
    j["serves"] = served_json(s.served);
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
        out += render_served(s.served);
    }
    return out;
}

} // namespace wm::rack
