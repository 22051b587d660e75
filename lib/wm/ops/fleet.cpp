#include <wm/base/error.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/step_timing.hpp>
#include <wm/rack/fanout.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace wm::ops {

namespace {

bool selected(const std::vector<std::string>& names, const std::string& name) {
    return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

// Times `fn` on one server; reports it and its round trips when `reporter` is set.
void timed(Server& s, const std::string& step, const std::function<void(Server&)>& fn,
           Reporter* reporter, Clock* clock) {
    if (!reporter) {
        fn(s);
        return;
    }
    auto start = clock->now();
    long before = s.round_trips();
    auto report = [&](bool failed) {
        reporter->report(timing_event({step, s.name(), seconds_between(start, clock->now()),
                                       s.round_trips() - before, 0, false, failed}));
    };
    try {
        fn(s);
    } catch (...) {
        report(true);
        throw;
    }
    report(false);
}

} // namespace

void warn_each(Reporter& reporter, const std::string& prefix,
               const std::vector<std::string>& errors) {
    for (const auto& e : errors) {
        if (!e.empty()) {
            reporter.warn(prefix + e);
        }
    }
}

Error at_server(const Error& e, const std::string& server, const std::string& step) {
    return e.with_server(server).with_step(step);
}

Fleet::Fleet(std::vector<std::unique_ptr<Server>> servers, int parallelism)
    : m_servers(std::move(servers)), m_parallelism(parallelism) {}

void Fleet::time_steps(Reporter& reporter, Clock& clock) {
    m_reporter = &reporter;
    m_clock = &clock;
}

long Fleet::round_trips() const {
    long n = 0;
    for (const auto& s : m_servers) {
        n += s->round_trips();
    }
    return n;
}

std::vector<std::optional<Error>> Fleet::run_on(const std::string& step,
                                                const std::function<void(Server&)>& fn,
                                                const std::vector<std::string>& names) {
    auto start = m_clock ? m_clock->now() : std::chrono::system_clock::time_point{};
    long round_trips = this->round_trips();
    int ran = 0;
    auto errors = rack::run_parallel(m_servers.size(), m_parallelism, [&](size_t i) {
        if (selected(names, m_servers[i]->name())) {
            timed(*m_servers[i], step, fn, m_reporter, m_clock);
        }
    });
    for (size_t i = 0; i < errors.size(); ++i) {
        ran += selected(names, m_servers[i]->name()) ? 1 : 0;
        if (errors[i]) {
            errors[i] = at_server(*errors[i], m_servers[i]->name(), step);
        }
    }
    if (m_reporter && ran > 0) {
        bool failed =
            std::any_of(errors.begin(), errors.end(), [](auto& e) { return e.has_value(); });
        m_reporter->report(timing_event({step, "", seconds_between(start, m_clock->now()),
                                         this->round_trips() - round_trips, ran, false, failed}));
    }
    return errors;
}

Fleet Fleet::connect(const std::vector<PlannedServer>& servers, Env& env) {
    std::vector<std::unique_ptr<Server>> connected(servers.size());
    auto start = env.clock.now();
    auto errors = rack::run_parallel(servers.size(), env.parallelism, [&](size_t i) {
        auto begun = env.clock.now();
        connected[i] = env.servers.connect(servers[i], env.reporter);
        env.reporter.report(
            timing_event({"connect", servers[i].name, seconds_between(begun, env.clock.now()), 0, 0,
                          false, false}));
    });
    env.reporter.report(timing_event({"connect", "", seconds_between(start, env.clock.now()), 0,
                                      static_cast<int>(servers.size()), false, false}));
    for (size_t i = 0; i < errors.size(); ++i) {
        if (errors[i]) {
            throw at_server(*errors[i], servers[i].name, "connect");
        }
    }
    Fleet fleet(std::move(connected), env.parallelism);
    fleet.time_steps(env.reporter, env.clock);
    return fleet;
}

void Fleet::each(const std::string& step, const std::function<void(Server&)>& fn,
                 const std::vector<std::string>& names) {
    for (auto& e : run_on(step, fn, names)) {
        if (e) {
            throw *e;
        }
    }
}

std::vector<std::string> Fleet::each_collect(const std::string& step,
                                             const std::function<void(Server&)>& fn,
                                             const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (auto& e : run_on(step, fn, names)) {
        out.push_back(e ? e->describe() : "");
    }
    return out;
}

std::map<std::string, std::optional<Error>>
Fleet::each_outcome(const std::string& step, const std::function<void(Server&)>& fn,
                    const std::vector<std::string>& names) {
    std::vector<std::optional<Error>> errors = run_on(step, fn, names);
    std::map<std::string, std::optional<Error>> out;
    for (size_t i = 0; i < m_servers.size(); ++i) {
        if (selected(names, m_servers[i]->name())) {
            out.emplace(m_servers[i]->name(), std::move(errors[i]));
        }
    }
    return out;
}

Server& Fleet::at(const std::string& name) {
    for (auto& s : m_servers) {
        if (s->name() == name) {
            return *s;
        }
    }
    fail("server {}: not connected", name);
}

std::vector<std::string> Fleet::names() const {
    std::vector<std::string> out;
    for (const auto& s : m_servers) {
        out.push_back(s->name());
    }
    return out;
}

} // namespace wm::ops
