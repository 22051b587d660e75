// ServerOps: an app env's logs (reading them, its event log) and one-off runs of a release.
#include <wm/base/error.hpp>
#include <wm/rack/server_ops.hpp>

#include <fmt/format.h>

namespace wm::rack {

std::vector<LogLine> ServerOps::read_logs(const LogQuery& query) {
    auto r = run("logs", read_logs_command(m_layout, query));
    if (!r.ok()) {
        fail_step("logs", "reading the logs failed: " + last_lines(r.err, 3));
    }
    return parse_log_output(r.out, server(), query);
}

void ServerOps::log_events(const AppEnv& ae, const std::string& lines) {
    try {
        std::optional<sandbox::Identity> id = tenant(ae);
        transport::RunOptions options;
        options.stdin_data = lines; // release output may hold secrets: never in command text
        auto r = m_transport.run(append_events_command(m_layout, ae, id ? id->gid : 0), options);
        if (!r.ok()) {
            m_reporter.warn("cannot append to the event log: " + last_lines(r.err, 2), server());
        }
    } catch (const Error& e) {
        m_reporter.warn("cannot append to the event log: " + e.describe(), server());
    }
}

transport::RunResult ServerOps::run_oneoff(const OneOff& one, transport::RunOptions options) {
    runtime::SandboxSpec spec;
    spec.app_dir = m_layout.release_app_dir(one.app_env, one.stack, one.version);
    spec.scratch_dir =
        m_layout.release_dir(one.app_env, one.stack, one.version) + "/.run-" + one.id;
    spec.env_dir = m_layout.release_env_dir(one.app_env, one.stack, one.version);
    spec.command = one.command;
    spec.console = one.terminal;
    spec.layer = is_root() ? m_layer : runtime::WritableLayer::tmp_only;
    confine(spec, one.app_env);
    std::string pid_file = spec.scratch_dir + ".pid";
    std::string instance = fmt::format("v{}.{}", one.version, one.id);
    log_events(one.app_env, event_line(one.stack, "run", instance,
                                       fmt::format("started by {}: {}", one.who, one.command)));
    options.cancel = m_options.cancel;
    options.stop_command = stop_oneoff_command(pid_file, spec.scratch_dir);
    transport::RunResult r = m_transport.run(oneoff_command(spec, pid_file, one.terminal), options);
    bool stopped = r.cancelled || r.timed_out;
    m_transport.run(stopped ? options.stop_command
                            : finish_oneoff_command(pid_file, spec.scratch_dir));
    log_events(one.app_env, event_line(one.stack, "run", instance,
                                       stopped ? "stopped: wm was interrupted"
                                               : fmt::format("exited with code {}", r.exit_code)));
    return r;
}

void ServerOps::log_instances(const AppEnv& ae, const std::vector<Instance>& instances,
                              const std::string& what) {
    std::map<std::pair<std::string, int>, std::string> by_release; // (stack, version) -> names
    for (const Instance& i : instances) {
        std::string& names = by_release[{i.stack, i.version}];
        names +=
            fmt::format("{}{} v{}.{}", names.empty() ? "" : ", ", i.service, i.version, i.index);
    }
    std::string lines;
    for (const auto& [release, names] : by_release) {
        lines += event_line(release.first, "deploy", fmt::format("v{}", release.second),
                            what + " " + names);
    }
    if (!lines.empty()) {
        log_events(ae, lines);
    }
}

void ServerOps::log_release(const AppEnv& ae, const std::string& stack, int version,
                            const transport::RunResult& r) {
    std::string instance = fmt::format("v{}", version);
    std::string lines;
    for (const std::string& line : nonempty_lines(r.out)) {
        lines += event_line(stack, "release", instance, line);
    }
    lines +=
        event_line(stack, "release", instance,
                   r.timed_out ? "release command timed out"
                               : fmt::format("release command exited with code {}", r.exit_code));
    log_events(ae, lines);
}

} // namespace wm::rack
