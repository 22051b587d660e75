#include <wm/base/error.hpp>
#include <wm/ops/fleet.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

namespace wm::ops {

namespace {

bool selected(const std::vector<std::string>& names, const std::string& name) {
    return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

// Runs `fn` on the selected servers and keeps each one's Error (or nullopt).
std::vector<std::optional<Error>> run_on(std::vector<std::unique_ptr<Server>>& servers,
                                         int parallelism, const std::string& step,
                                         const std::function<void(Server&)>& fn,
                                         const std::vector<std::string>& names) {
    std::vector<std::optional<Error>> errors(servers.size());
    run_parallel(servers.size(), parallelism, [&](size_t i) {
        Server& s = *servers[i];
        if (!selected(names, s.name())) {
            return;
        }
        try {
            fn(s);
        } catch (const Error& e) {
            errors[i] = at_server(e, s.name(), step);
        } catch (const std::exception& e) {
            errors[i] = at_server(Error(e.what()), s.name(), step);
        }
    });
    return errors;
}

} // namespace

std::vector<std::string> run_parallel(size_t count, int parallelism,
                                      const std::function<void(size_t)>& fn) {
    std::vector<std::string> errors(count);
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i = next++; i < count; i = next++) {
            try {
                fn(i);
            } catch (const Error& e) {
                errors[i] = e.describe();
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        }
    };
    size_t threads = std::min<size_t>(count, static_cast<size_t>(std::max(parallelism, 1)));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) {
        pool.emplace_back(worker);
    }
    worker();
    for (auto& t : pool) {
        t.join();
    }
    return errors;
}

Error at_server(const Error& e, const std::string& server, const std::string& step) {
    std::string tag = "server " + server;
    const auto& ctx = e.context();
    bool has_server = std::find(ctx.begin(), ctx.end(), tag) != ctx.end();
    bool has_step = std::any_of(ctx.begin(), ctx.end(),
                                [](const std::string& c) { return c.rfind("step ", 0) == 0; });
    if (has_server && has_step) {
        return e;
    }
    // Rebuild the chain so it reads "server X: step S: <the rest>".
    Error out = Error(e.what(), e.exit_code());
    for (auto it = ctx.rbegin(); it != ctx.rend(); ++it) {
        if (*it != tag) {
            out = out.with_context(*it);
        }
    }
    if (!has_step) {
        out = out.with_context("step " + step);
    }
    out = out.with_context(tag);
    return e.hint().empty() ? out : out.with_hint(e.hint());
}

Fleet::Fleet(std::vector<std::unique_ptr<Server>> servers, int parallelism)
    : m_servers(std::move(servers)), m_parallelism(parallelism) {}

Fleet Fleet::connect(const std::vector<PlannedServer>& servers, Env& env) {
    std::vector<std::unique_ptr<Server>> connected(servers.size());
    std::vector<std::optional<Error>> errors(servers.size());
    run_parallel(servers.size(), env.parallelism, [&](size_t i) {
        try {
            connected[i] = env.servers.connect(servers[i], env.reporter);
        } catch (const Error& e) {
            errors[i] = at_server(e, servers[i].name, "connect");
        } catch (const std::exception& e) {
            errors[i] = at_server(Error(e.what()), servers[i].name, "connect");
        }
    });
    for (auto& e : errors) {
        if (e) {
            throw *e;
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
