#include <wm/base/error.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/rack/fanout.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace wm::ops {

namespace {

bool selected(const std::vector<std::string>& names, const std::string& name) {
    return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

// Runs `fn` on the selected servers; each one's Error (or nullopt) names its server and step.
std::vector<std::optional<Error>> run_on(std::vector<std::unique_ptr<Server>>& servers,
                                         int parallelism, const std::string& step,
                                         const std::function<void(Server&)>& fn,
                                         const std::vector<std::string>& names) {
    auto errors = rack::run_parallel(servers.size(), parallelism, [&](size_t i) {
        if (selected(names, servers[i]->name())) {
            fn(*servers[i]);
        }
    });
    for (size_t i = 0; i < errors.size(); ++i) {
        if (errors[i]) {
            errors[i] = at_server(*errors[i], servers[i]->name(), step);
        }
    }
    return errors;
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

Fleet Fleet::connect(const std::vector<PlannedServer>& servers, Env& env) {
    std::vector<std::unique_ptr<Server>> connected(servers.size());
    auto errors = rack::run_parallel(servers.size(), env.parallelism, [&](size_t i) {
        connected[i] = env.servers.connect(servers[i], env.reporter);
    });
    for (size_t i = 0; i < errors.size(); ++i) {
        if (errors[i]) {
            throw at_server(*errors[i], servers[i].name, "connect");
        }
    }
    return Fleet(std::move(connected), env.parallelism);
}

void Fleet::each(const std::string& step, const std::function<void(Server&)>& fn,
                 const std::vector<std::string>& names) {
    for (auto& e : run_on(m_servers, m_parallelism, step, fn, names)) {
        if (e) {
            throw *e;
        }
    }
}

std::vector<std::string> Fleet::each_collect(const std::string& step,
                                             const std::function<void(Server&)>& fn,
                                             const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (auto& e : run_on(m_servers, m_parallelism, step, fn, names)) {
        out.push_back(e ? e->describe() : "");
    }
    return out;
}

std::map<std::string, std::optional<Error>>
Fleet::each_outcome(const std::string& step, const std::function<void(Server&)>& fn,
                    const std::vector<std::string>& names) {
    std::vector<std::optional<Error>> errors = run_on(m_servers, m_parallelism, step, fn, names);
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
