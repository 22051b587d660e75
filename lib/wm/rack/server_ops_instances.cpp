// ServerOps: starting, checking, listing and stopping instances.
#include <wm/base/error.hpp>
#include <wm/base/text.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/runtime/commands.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <set>
#include <sstream>

namespace wm::rack {

namespace {

nlohmann::json instance_json(const Instance& i) {
    return {{"schema", 2},      {"app", i.app_env.app}, {"env", i.app_env.env},
            {"stack", i.stack}, {"service", i.service}, {"version", i.version},
            {"index", i.index}, {"port", i.port},       {"name", i.name}};
}

/// One line of list_instances_script: name \t json \t starts \t sv status.
std::optional<Instance> parse_listing(const std::string& line) {
    std::vector<std::string> f = split(line, '\t');
    if (f.size() < 4) {
        return std::nullopt;
    }
    try {
        auto j = nlohmann::json::parse(f[1]);
        Instance i;
        // Instances of layout 1 have no "app": listed under app "", matched by no app env.
        i.app_env = {j.value("app", ""), j.at("env").get<std::string>()};
        i.stack = j.at("stack").get<std::string>();
        i.service = j.at("service").get<std::string>();
        i.version = j.at("version").get<int>();
        i.index = j.at("index").get<int>();
        i.port = j.value("port", 0);
        i.name = f[0];
        int starts = std::atoi(f[2].c_str());
        i.restarts = starts > 0 ? starts - 1 : 0;
        runtime::SvStatus st = runtime::parse_sv_status(f[3]);
        i.state = st.state;
        i.pid = st.pid;
        i.uptime_seconds = st.seconds;
        return i;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt; // a half-written instance.json: not an instance yet
    }
}

/// How many instances the plan starts (svlogd's share of the app env's log budget).
int instance_count(const StartPlan& plan) {
    int n = 0;
    for (const auto& svc : plan.services) {
        n += svc.is_cron() ? 0 : svc.instances;
    }
    return n;
}

Instance planned_instance(const StartPlan& plan, const std::string& service, int index, int port) {
    Instance i;
    i.app_env = plan.app_env;
    i.stack = plan.stack;
    i.service = service;
    i.version = plan.version;
    i.index = index;
    i.port = port;
    i.name = instance_name(plan.app_env, plan.stack, service, plan.version, index);
    return i;
}

// Never reuse a live instance's name (e.g. a rollback to a release that still runs).
int first_free_index(const std::vector<Instance>& existing, const StartPlan& plan,
                     const std::string& service) {
    int first = 1;
    for (const Instance& e : existing) {
        if (e.stack == plan.stack && e.service == service && e.version == plan.version) {
            first = std::max(first, e.index + 1);
        }
    }
    return first;
}

} // namespace

std::vector<int> ServerOps::used_ports() {
    std::vector<int> used;
    auto r = run("allocate ports", runtime::listening_ports_command());
    std::istringstream in(r.out);
    for (int port; in >> port;) {
        used.push_back(port);
    }
    for (const Instance& i : list_instances()) {
        used.push_back(i.port);
    }
    return used;
}

std::vector<Instance> ServerOps::list_instances(const std::optional<AppEnv>& only) {
    auto r = run("list instances", runtime::list_instances_script(m_layout.service_dir()));
    std::vector<Instance> out;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        auto i = parse_listing(line);
        if (i && (!only || i->app_env == *only)) {
            out.push_back(*i);
        }
    }
    mark_routed(out);
    return out;
}

Instance ServerOps::write_instance(const StartPlan& plan, const manifest::ServiceSpec& svc,
                                   Instance i, std::vector<FileWrite>& files) {
    i.state = "starting";
    i.min_uptime_seconds = svc.health.worker_uptime();
    std::string staging = m_layout.instance_dir("." + i.name);
    runtime::SandboxSpec spec;
    spec.app_dir = m_layout.release_app_dir(plan.app_env, plan.stack, plan.version);
    spec.scratch_dir = m_layout.instance_dir(i.name) + "/layer";
    spec.env_dir = m_layout.release_env_dir(plan.app_env, plan.stack, plan.version);
    spec.command = svc.command;
    spec.port = i.port;
    spec.memory_bytes = svc.memory_bytes;
    spec.layer = m_layer;
    confine(spec, plan.app_env);
    // None of these is secret (the config stays in the release's envdir), so they travel in
    // the command text of start_instances' one round trip.
    files.push_back({staging + "/run", runtime::render_run_script(spec), 0755});
    files.push_back({staging + "/control/t", runtime::render_control_term(), 0755});
    files.push_back({staging + "/finish", render_finish_script(), 0755});
    files.push_back(
        {staging + "/log/run", runtime::render_log_run(m_layout.log_dir(i.name)), 0755});
    files.push_back(
        {m_layout.log_dir(i.name) + "/config", log_retention_config(instance_count(plan))});
    files.push_back({staging + "/instance.json", instance_json(i).dump() + "\n"});
    return i;
}

std::vector<int> ServerOps::allocate_ports(int count) {
    std::random_device rd; // a random start: concurrent deploys rarely pick the same ports
    int span = m_options.port_max - m_options.port_min + 1;
    int start = m_options.port_min + static_cast<int>(rd() % static_cast<unsigned>(span));
    return at_step(server(), "allocate ports", [&] {
        return runtime::pick_ports(used_ports(), count, m_options.port_min, m_options.port_max,
                                   start);
    });
}

std::vector<std::pair<const manifest::ServiceSpec*, Instance>>
ServerOps::plan_instances(const StartPlan& plan) {
    int web_count = 0;
    for (const auto& svc : plan.services) {
        if (svc.command.empty()) {
            fail_step("start instances", fmt::format("service '{}' of stack '{}' has no command",
                                                     svc.name, plan.stack));
        }
        web_count += svc.is_web() && !svc.is_cron() ? svc.instances : 0;
    }
    std::vector<Instance> existing = list_instances(plan.app_env);
    std::vector<int> ports = allocate_ports(web_count);
    std::vector<std::pair<const manifest::ServiceSpec*, Instance>> out;
    size_t next_port = 0;
    for (const auto& svc : plan.services) {
        if (svc.is_cron()) {
            m_reporter.warn(
                fmt::format("cron service '{}' not started: cron is not supported yet", svc.name),
                server());
            continue;
        }
        int first = first_free_index(existing, plan, svc.name);
        for (int index = first; index < first + svc.instances; ++index) {
            int port = svc.is_web() ? ports[next_port++] : 0;
            out.emplace_back(&svc, planned_instance(plan, svc.name, index, port));
        }
    }
    return out;
}

std::vector<Instance> ServerOps::start_instances(const StartPlan& plan) {
    const std::string step = "start instances";
    auto planned = plan_instances(plan);
    std::vector<std::string> names;
    for (const auto& [svc, i] : planned) {
        names.push_back(i.name);
    }
    std::vector<std::string> commands{stage_instances_command(m_layout, names)};
    if (auto id = tenant(plan.app_env)) { // their output may hold secrets: the tenant's alone
        std::vector<std::string> logs;
        for (const auto& name : names) {
            logs.push_back(m_layout.log_dir(name));
        }
        commands.push_back(restrict_dirs_command(logs, id->gid));
    }
    std::vector<Instance> out;
    std::vector<FileWrite> files;
    for (const auto& [svc, i] : planned) {
        out.push_back(write_instance(plan, *svc, i, files));
    }
    commands.push_back(write_files_command(files));
    commands.push_back(activate_instances_command(m_layout, names));
    run(step, chain_commands(commands)); // one round trip, however many instances
    for (const Instance& i : out) {
        m_reporter.info(started_message(i.name, i.port), server());
    }
    log_instances(plan.app_env, out, "started");
    m_transport.run(prune_logs_command(m_layout, plan.app_env)); // best effort, as retention
    return out;
}

std::string ServerOps::tail_log(const std::string& instance, int lines) {
    return m_transport.run(tail_log_command(m_layout, instance, lines)).out;
}

// The failed lines of a health check ("<name> fail <why>"), each explained with its
// instance's log; `failed` counts them.
std::string ServerOps::health_failure(const std::string& out,
                                      const std::vector<Instance>& instances,
                                      const manifest::HealthCheck& check, size_t& failed) {
    std::string msg;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        size_t sp = line.find(' ');
        if (sp == std::string::npos || line.compare(sp + 1, 5, "fail ") != 0) {
            continue;
        }
        UnhealthyInstance u{
            line.substr(0, sp), 0, line.substr(sp + 6), check.path, check.timeout_seconds, "", ""};
        for (const Instance& i : instances) {
            if (i.name == u.name) {
                u.port = i.port;
                u.setting = fmt::format("stacks.{}.services.{}.health", i.stack, i.service);
            }
        }
        u.log = tail_log(u.name, 20);
        msg += unhealthy_instance_message(u);
        ++failed;
    }
    return msg;
}

void ServerOps::wait_healthy(const std::vector<Instance>& instances,
                             const manifest::HealthCheck& check) {
    std::vector<runtime::WebTarget> web;
    std::vector<runtime::WorkerTarget> workers;
    for (const Instance& i : instances) {
        if (i.port > 0) {
            auto link = network(i.app_env);
            web.push_back({i.name, i.port, m_layout.instance_dir(i.name), upstream_host(i.app_env),
                           link ? netns_path(*link) : ""});
        } else {
            workers.push_back({i.name, m_layout.instance_dir(i.name), i.min_uptime_seconds});
        }
    }
    // A worker's own uptime may outlast the web's timeout: the wait covers both.
    int timeout_s = check.timeout_seconds;
    for (const auto& w : workers) {
        timeout_s = std::max(timeout_s, w.min_up_s + 5);
    }
    transport::RunOptions opts;
    opts.timeout = std::chrono::seconds(timeout_s + 30);
    auto r =
        run_cancellable("health check", health_command(web, workers, check.path, timeout_s), opts);
    if (!r.ok()) {
        size_t failed = 0;
        std::string details = health_failure(r.out, instances, check, failed);
        fail_step("health check",
                  unhealthy_message(failed, instances.size(), r.timed_out, details));
    }
    if (!instances.empty()) {
        log_instances(instances.front().app_env, instances, "healthy:");
    }
}

void ServerOps::stop_instances(const std::vector<Instance>& instances) {
    if (instances.empty()) {
        return;
    }
    std::vector<std::string> names;
    std::vector<int> ports; // web instances: drained while the proxy's requests finish there
    for (const Instance& i : instances) {
        names.push_back(i.name);
        if (i.port > 0) {
            ports.push_back(i.port);
        }
    }
    int drain = ports.empty() ? 0 : static_cast<int>(m_options.drain.count());
    run("stop instances", stop_instances_command(m_layout, names, drain, ports));
    m_reporter.info(stopped_message(names.size()), server());
    log_instances(instances.front().app_env, instances, "stopped");
}

} // namespace wm::rack
