#include <wm/base/process.hpp>
#include <wm/base/text.hpp>
#include <wm/rack/logs.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <sstream>

namespace wm::rack {

namespace {

std::string q(const std::string& s) { return shell_quote(s); }

/// The glob of the instance log dirs the query selects (names never contain '.', so each `*`
/// stands for one name).
std::string instance_glob(const LogQuery& query) {
    std::string stack = query.stack.empty() ? "*" : q(query.stack);
    std::string service = query.service.empty() ? "*" : q(query.service) + ".v*";
    return q(query.app_env.flat() + ".") + stack + "." + service;
}

/// "<first> <rest>": the first word and what follows the space after it.
std::pair<std::string, std::string> first_word(const std::string& text) {
    size_t sp = text.find(' ');
    if (sp == std::string::npos) {
        return {text, ""};
    }
    return {text.substr(0, sp), text.substr(sp + 1)};
}

/// An event log line after its stamp: "<stack or -> <service> <instance> <text>".
bool parse_event(const std::string& rest, LogLine& out) {
    auto [stack, r1] = first_word(rest);
    auto [service, r2] = first_word(r1);
    auto [instance, text] = first_word(r2);
    if (service.empty() || instance.empty()) {
        return false;
    }
    out.stack = stack == "-" ? "" : stack;
    out.service = service;
    out.instance = instance;
    out.line = text;
    return true;
}

/// An instance dir name after "<app>.<env>.": "<stack>.<service>.v<N>.<i>".
bool parse_instance_dir(const std::string& tail, LogLine& out) {
    std::vector<std::string> parts = split(tail, '.');
    if (parts.size() != 4 || parts[2].size() < 2 || parts[2][0] != 'v') {
        return false;
    }
    out.stack = parts[0];
    out.service = parts[1];
    out.instance = parts[2] + "." + parts[3];
    return true;
}

} // namespace

std::string log_stamp(std::chrono::system_clock::time_point t) {
    auto micros = std::chrono::time_point_cast<std::chrono::microseconds>(t);
    auto secs = std::chrono::time_point_cast<std::chrono::seconds>(micros);
    long long frac = (micros - secs).count() / 10;
    return fmt::format("{:%Y-%m-%d_%H:%M:%S}.{:05d}", secs, frac);
}

std::optional<std::chrono::system_clock::time_point> parse_log_stamp(const std::string& stamp) {
    std::tm tm{};
    long long frac = 0;
    int used = 0;
    if (stamp.size() != 25 ||
        std::sscanf(stamp.c_str(), "%4d-%2d-%2d_%2d:%2d:%2d.%5lld%n", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &frac, &used) != 7 ||
        used != 25) {
        return std::nullopt;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    auto t = std::chrono::system_clock::from_time_t(timegm(&tm));
    return t + std::chrono::microseconds(frac * 10);
}

std::string read_logs_command(const Layout& l, const LogQuery& query) {
    auto since_s = std::chrono::duration_cast<std::chrono::seconds>(query.since.time_since_epoch());
    std::string dirs = instance_glob(query);
    if (query.service.empty()) {
        dirs += " " + q(query.app_env.flat());
    }
    return fmt::format(R"SH(cd {} 2>/dev/null || exit 0
for d in {}; do
	[ -d "$d" ] || continue
	for f in "$d"/@*.[su] "$d"/previous "$d"/current; do
		[ -f "$f" ] && [ -n "$(find "$f" -newermt @{})" ] || continue
		awk -v s={} -v d="$d" '$1 >= s {{ print d " " $0 }}' "$f"
	done
done
)SH",
                       q(l.logs_dir()), dirs, since_s.count() - 1, q(log_stamp(query.since)));
}

std::vector<LogLine> parse_log_output(const std::string& out, const std::string& server,
                                      const LogQuery& query) {
    const AppEnv& ae = query.app_env;
    std::vector<LogLine> lines;
    std::istringstream in(out);
    const std::string prefix = ae.flat() + ".";
    for (std::string text; std::getline(in, text);) {
        auto [dir, stamped] = first_word(text);
        auto [ts, rest] = first_word(stamped);
        LogLine line{ts, server, "", "", "", rest};
        bool ok = dir == ae.flat() ? parse_event(rest, line)
                                   : dir.rfind(prefix, 0) == 0 &&
                                         parse_instance_dir(dir.substr(prefix.size()), line);
        bool other_stack = !query.stack.empty() && !line.stack.empty() && line.stack != query.stack;
        if (ok && !ts.empty() && !other_stack) {
            lines.push_back(std::move(line));
        }
    }
    return lines;
}

std::vector<LogLine> merge_logs(const std::vector<std::vector<LogLine>>& per_server) {
    std::vector<LogLine> all;
    for (const auto& lines : per_server) {
        all.insert(all.end(), lines.begin(), lines.end());
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const LogLine& a, const LogLine& b) { return a.ts < b.ts; });
    return all;
}

std::string append_events_command(const Layout& l, const AppEnv& ae, int gid) {
    std::string group = gid > 0 ? fmt::format(" && chgrp {} \"$d\"", gid) : "";
    return fmt::format(R"SH(d={} && mkdir -p "$d" && chmod 0750 "$d"{} || exit 1
[ "$(wc -c < "$d/current" 2>/dev/null || echo 0)" -gt {} ] && mv -f "$d/current" "$d/previous"
t=$(date -u +%Y-%m-%d_%H:%M:%S.%N) && t=${{t%????}}
awk -v t="$t" '{{ print t " " $0 }}' >> "$d/current"
)SH",
                       q(l.event_log_dir(ae)), group, k_log_budget_bytes / 50);
}

std::string event_line(const std::string& stack, const std::string& service,
                       const std::string& instance, const std::string& text) {
    std::string flat = text;
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    return fmt::format("{} {} {} {}\n", stack.empty() ? "-" : stack, service, instance, flat);
}

std::string log_retention_config(int instances) {
    constexpr int k_old_files = 6; // rotated every 10 minutes: about an hour kept
    constexpr std::uint64_t k_min = 1000000;
    std::uint64_t share = k_log_budget_bytes /
                          (static_cast<std::uint64_t>(std::max(instances, 1)) * (k_old_files + 1));
    return fmt::format("s{}\nn{}\nt600\n", std::max(share, k_min), k_old_files);
}

std::string prune_logs_command(const Layout& l, const AppEnv& ae) {
    return fmt::format(R"SH(cd {} 2>/dev/null || exit 0
for d in {}*; do
	[ -d "$d" ] && [ ! -e {}/"$d" ] && [ -z "$(find "$d" -mmin -{} | head -n 1)" ] && rm -rf "$d"
done
find {} -maxdepth 1 -name previous -mmin +{} -delete 2>/dev/null
true
)SH",
                       q(l.logs_dir()), q(ae.flat() + "."), q(l.service_dir()), k_log_keep_minutes,
                       q(ae.flat()), k_log_keep_minutes);
}

std::string render_finish_script() {
    return "#!/bin/sh\n"
           "# generated by wm: how the process ended, in the instance's log\n"
           "if [ \"$1\" = -1 ]; then echo \"wm: killed by signal $2\"; "
           "else echo \"wm: exited with code $1\"; fi\n";
}

} // namespace wm::rack
