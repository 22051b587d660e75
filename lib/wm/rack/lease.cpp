#include <wm/base/clock.hpp>
#include <wm/base/error.hpp>
#include <wm/rack/lease.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>

namespace wm::rack {

LeaseVerdict judge_lease(const std::optional<Lease>& current, const Lease& mine,
                         std::chrono::system_clock::time_point now,
                         const std::function<bool(int)>& local_pid_alive) {
    if (!current) {
        return LeaseVerdict::free;
    }
    if (current->holder == mine.holder && current->control_host == mine.control_host &&
        current->pid == mine.pid) {
        return LeaseVerdict::ours;
    }
    auto expires = parse_utc(current->expires);
    if (!expires || *expires <= now) {
        return LeaseVerdict::expired;
    }
    if (current->control_host == mine.control_host && current->pid > 0 &&
        !local_pid_alive(current->pid)) {
        return LeaseVerdict::dead_holder;
    }
    return LeaseVerdict::held;
}

std::string describe_lease(const Lease& l) {
    return fmt::format("held by {} (pid {} on {}) since {}, expires {}: {}", l.holder, l.pid,
                       l.control_host, l.started, l.expires, l.what);
}

nlohmann::json to_json(const Lease& l) {
    return {{"schema", 1},   {"holder", l.holder},   {"control_host", l.control_host},
            {"pid", l.pid},  {"started", l.started}, {"expires", l.expires},
            {"what", l.what}};
}

Lease lease_from_json(const std::string& text, const std::string& what) {
    try {
        auto j = nlohmann::json::parse(text);
        Lease l;
        l.holder = j.at("holder").get<std::string>();
        l.control_host = j.value("control_host", "");
        l.pid = j.value("pid", 0);
        l.started = j.value("started", "");
        l.expires = j.at("expires").get<std::string>();
        l.what = j.value("what", "");
        return l;
    } catch (const nlohmann::json::exception& e) {
        fail("malformed lease {}: {}", what, e.what());
    }
}

std::optional<std::chrono::system_clock::time_point> parse_utc(const std::string& text) {
    std::tm tm{};
    char z = 0;
    int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
                        &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z);
    if (n != 7 || z != 'Z') {
        return std::nullopt;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

bool local_pid_alive(int pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

} // namespace wm::rack
