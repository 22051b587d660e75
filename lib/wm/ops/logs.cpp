#include <wm/base/error.hpp>
#include <wm/ops/logs.hpp>
#include <wm/rack/fanout.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace wm::ops {

namespace {

/// The servers of the plan that answered (nullptr where not) and the errors of the others.
struct Connected {
    std::vector<std::unique_ptr<Server>> servers;
    std::vector<Error> errors;
};

Connected connect_all(const DeployPlan& plan, Env& env) {
    std::vector<PlannedServer> planned = plan.servers();
    Connected c;
    c.servers.resize(planned.size());
    auto errors = rack::run_parallel(planned.size(), env.parallelism, [&](size_t i) {
        c.servers[i] = env.servers.connect(planned[i], env.reporter);
    });
    for (size_t i = 0; i < errors.size(); ++i) {
        if (errors[i]) {
            c.errors.push_back(errors[i]->with_server(planned[i].name).with_step("connect"));
        }
    }
    return c;
}

/// One read of every connected server (in parallel); a server whose read fails is dropped
/// (its Error added to `errors`) so a follow does not ask it again.
std::vector<std::vector<rack::LogLine>> read_all(Connected& c, Env& env,
                                                 const std::vector<rack::LogQuery>& queries) {
    std::vector<std::vector<rack::LogLine>> out(c.servers.size());
    auto errors = rack::run_parallel(c.servers.size(), env.parallelism, [&](size_t i) {
        if (c.servers[i]) {
            out[i] = c.servers[i]->read_logs(queries[i]);
        }
    });
    for (size_t i = 0; i < errors.size(); ++i) {
        if (errors[i]) {
            c.errors.push_back(errors[i]->with_server(c.servers[i]->name()).with_step("logs"));
            env.reporter.warn(c.errors.back().describe());
            c.servers[i].reset();
        }
    }
    return out;
}

std::string cursor_key(const rack::LogLine& l) {
    return l.stack + "\t" + l.service + "\t" + l.instance + "\t" + l.line;
}

} // namespace

std::vector<rack::LogLine> LogCursor::advance(const std::vector<rack::LogLine>& batch) {
    std::vector<rack::LogLine> fresh;
    for (const rack::LogLine& l : batch) {
        std::string key = cursor_key(l);
        if (l.ts < ts ||
            (l.ts == ts && std::find(at_ts.begin(), at_ts.end(), key) != at_ts.end())) {
            continue;
        }
        if (l.ts > ts) {
            ts = l.ts;
            at_ts.clear();
        }
        at_ts.push_back(key);
        fresh.push_back(l);
    }
    return fresh;
}

std::vector<Error> read_logs(const DeployPlan& plan, Env& env, const LogsRequest& request,
                             const LogSink& sink) {
    // 1. Connect to every server; the unreachable ones are named, the others still read.
    Connected c = connect_all(plan, env);
    for (const Error& e : c.errors) {
        env.reporter.warn(e.describe());
    }
    // 2. Read the window from each and merge by time.
    rack::LogQuery query{plan.app_env(), plan.stacks.size() == 1 ? plan.stacks.front() : "",
                         request.service, env.clock.now() - request.since};
    std::vector<rack::LogQuery> queries(c.servers.size(), query);
    std::vector<LogCursor> cursors(c.servers.size());
    for (;;) {
        std::vector<std::vector<rack::LogLine>> batches = read_all(c, env, queries);
        for (size_t i = 0; i < batches.size(); ++i) {
            // A server prints dir by dir: its lines in time order first, then past its cursor.
            batches[i] = cursors[i].advance(rack::merge_logs({batches[i]}));
            if (auto t = rack::parse_log_stamp(cursors[i].ts)) {
                queries[i].since = *t; // 3. Following: ask each server only from its newest line
            }
        }
        for (const rack::LogLine& line : rack::merge_logs(batches)) {
            sink(line);
        }
        if (!request.follow) {
            return c.errors;
        }
        throw_if_cancelled(env.cancel);
        for (auto waited = std::chrono::milliseconds(0); waited < request.poll;
             waited += std::chrono::milliseconds(100)) {
            env.clock.sleep_for(std::chrono::milliseconds(100));
            throw_if_cancelled(env.cancel);
        }
    }
}

namespace {

/// "2026-11-30_21:48:49.21102" -> "2026-11-30T21:48:49.21102Z".
std::string rfc3339(const std::string& stamp) {
    std::string out = stamp;
    if (out.size() > 10 && out[10] == '_') {
        out[10] = 'T';
    }
    return out + "Z";
}

} // namespace

std::string format_log_line(const rack::LogLine& l) {
    return fmt::format("{} {} {} {} | {}", rfc3339(l.ts), l.service, l.instance, l.server, l.line);
}

nlohmann::json log_line_json(const rack::LogLine& l) {
    return {{"ts", rfc3339(l.ts)},  {"server", l.server},     {"stack", l.stack},
            {"service", l.service}, {"instance", l.instance}, {"line", l.line}};
}

} // namespace wm::ops
