// ServerOps: lease, slugs, releases, config, release command, records, pruning.
#include <wm/base/clock.hpp>
#include <wm/base/error.hpp>
#include <wm/base/process.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/runtime/commands.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace wm::rack {

namespace {

std::string q(const std::string& s) { return shell_quote(s); }

std::vector<int> parse_versions(const std::string& text) {
    std::vector<int> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) {
        if (w.size() > 1 && w[0] == 'v' &&
            w.find_first_not_of("0123456789", 1) == std::string::npos) {
            out.push_back(std::stoi(w.substr(1)));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

// ---- lease -----------------------------------------------------------------------------------

std::optional<Lease> ServerOps::read_lease(const std::string& env) {
    std::string file = m_layout.lock_file(env);
    auto r = m_transport.run("cat " + q(file) + " 2>/dev/null");
    if (!r.ok() || r.out.empty()) {
        return std::nullopt;
    }
    return with_context("server " + server(), [&] { return lease_from_json(r.out, file); });
}

void ServerOps::acquire_lease(const std::string& env, const Lease& lease) {
    const std::string step = "deploy lease";
    std::string file = m_layout.lock_file(env);
    run(step, "mkdir -p " + q(m_layout.locks_dir()));
    run(step, runtime::mutex_acquire_command(file + ".d", 45));
    try {
        std::optional<Lease> current = read_lease(env);
        LeaseVerdict v = judge_lease(current, lease, now(), m_options.local_pid_alive);
        if (v == LeaseVerdict::held) {
            fail_step(step,
                      fmt::format("environment '{}' is locked: {}", env, describe_lease(*current)));
        }
        if (v == LeaseVerdict::expired || v == LeaseVerdict::dead_holder) {
            m_reporter.warn(fmt::format("taking over a stale lease of '{}' ({})", env,
                                        describe_lease(*current)),
                            server());
        }
        Lease mine = lease;
        if (v == LeaseVerdict::ours && !current->started.empty()) {
            mine.started = current->started;
        }
        if (mine.started.empty()) {
            mine.started = format_utc(now());
        }
        mine.expires = format_utc(now() + m_options.lease_ttl);
        m_transport.write_file(file, to_json(mine).dump(2) + "\n", 0644);
    } catch (...) {
        m_transport.run(runtime::mutex_release_command(file + ".d"));
        throw;
    }
    m_transport.run(runtime::mutex_release_command(file + ".d"));
}

void ServerOps::release_lease(const std::string& env) {
    run("release lease", "rm -f " + q(m_layout.lock_file(env)));
}

// ---- slugs and releases ----------------------------------------------------------------------

bool ServerOps::has_slug(const std::string& sha256) {
    return m_transport.run("test -s " + q(m_layout.slug(sha256))).ok();
}

void ServerOps::upload_slug(const std::filesystem::path& local, const std::string& sha256,
                            const transport::ProgressFn& progress) {
    run("upload", "mkdir -p " + q(m_layout.slugs_dir()));
    with_context("server " + server(), [&] {
        with_context("step upload",
                     [&] { m_transport.upload(local, m_layout.slug(sha256), 0644, progress); });
    });
}

std::vector<int> ServerOps::list_releases(const std::string& env, const std::string& stack) {
    auto r = m_transport.run("ls " + q(m_layout.releases_dir(env, stack)) + " 2>/dev/null");
    return parse_versions(r.out);
}

int ServerOps::next_version(const std::string& env, const std::string& stack) {
    std::vector<int> v = list_releases(env, stack);
    return v.empty() ? 0 : v.back() + 1;
}

void ServerOps::unpack_release(const std::string& env, const std::string& stack, int version,
                               const std::string& sha256, const nlohmann::json& release_json) {
    std::string rel = m_layout.release_dir(env, stack, version);
    std::string app = m_layout.release_app_dir(env, stack, version);
    run("unpack", fmt::format("set -e; rm -rf {tmp}; mkdir -p {tmp}; "
                              "tar --zstd -xf {slug} -C {tmp}; rm -rf {app}; mv {tmp} {app}",
                              fmt::arg("tmp", q(rel + "/.app.tmp")),
                              fmt::arg("slug", q(m_layout.slug(sha256))), fmt::arg("app", q(app))));
    m_transport.write_file(rel + "/release.json", release_json.dump(2) + "\n");
}

void ServerOps::write_config(const std::string& env, const std::string& stack, int version,
                             const std::map<std::string, std::string>& config) {
    for (const auto& [name, value] : config) {
        if (!runtime::valid_env_name(name)) {
            fail_step("config", fmt::format("invalid variable name '{}'", name));
        }
    }
    std::string dir = m_layout.release_env_dir(env, stack, version);
    run("config", "rm -rf " + q(dir) + " && mkdir -p -m 0700 " + q(dir));
    for (const auto& [name, value] : config) {
        m_transport.write_file(dir + "/" + name, runtime::envdir_value(value), 0600);
    }
}

transport::RunResult ServerOps::run_release_command(const std::string& env,
                                                    const std::string& stack, int version,
                                                    const std::string& command,
                                                    std::chrono::seconds timeout) {
    std::string scratch = m_layout.release_dir(env, stack, version) + "/.release-layer";
    runtime::SandboxSpec spec;
    spec.app_dir = m_layout.release_app_dir(env, stack, version);
    spec.scratch_dir = scratch;
    spec.env_dir = m_layout.release_env_dir(env, stack, version);
    spec.command = command;
    spec.layer = m_layer;
    transport::RunOptions opts;
    opts.timeout = timeout;
    std::string pending;
    opts.on_output = [&](Stream, std::string_view chunk) {
        pending += chunk;
        for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
            m_reporter.output(pending.substr(0, nl), server());
            pending.erase(0, nl + 1);
        }
    };
    std::string cmd = "mkdir -p " + q(spec.env_dir) + " " + q(scratch) + " && " +
                      runtime::sandbox_command(spec) + " 2>&1";
    auto r = m_transport.run(cmd, opts);
    if (!pending.empty()) {
        m_reporter.output(pending, server());
    }
    m_transport.run("rmdir " + q(scratch) + " 2>/dev/null; true");
    return r;
}

// ---- records and pruning ---------------------------------------------------------------------

void ServerOps::record_deployment(const std::string& env, const std::string& stack, int version,
                                  const nlohmann::json& record, const std::string& log) {
    std::string dir = m_layout.deployments_dir(env, stack);
    run("record", "mkdir -p " + q(dir));
    std::string base = dir + "/v" + std::to_string(version);
    m_transport.write_file(base + ".json", record.dump(2) + "\n");
    m_transport.write_file(base + ".log", log);
}

std::vector<int> ServerOps::list_deployments(const std::string& env, const std::string& stack) {
    auto r = m_transport.run("cd " + q(m_layout.deployments_dir(env, stack)) +
                             " 2>/dev/null && for f in v*.json; do echo \"${f%.json}\"; done");
    return parse_versions(r.out);
}

std::optional<nlohmann::json> ServerOps::read_deployment(const std::string& env,
                                                         const std::string& stack, int version,
                                                         std::string* log) {
    std::string base = m_layout.deployments_dir(env, stack) + "/v" + std::to_string(version);
    auto r = m_transport.run("cat " + q(base + ".json") + " 2>/dev/null");
    if (!r.ok()) {
        return std::nullopt;
    }
    if (log) {
        *log = m_transport.run("cat " + q(base + ".log") + " 2>/dev/null").out;
    }
    try {
        return nlohmann::json::parse(r.out);
    } catch (const nlohmann::json::exception& e) {
        fail_step("read deployment", fmt::format("malformed {}.json: {}", base, e.what()));
    }
}

std::vector<int> ServerOps::prune_releases(const std::string& env, const std::string& stack,
                                           int keep, int current) {
    std::vector<int> versions = list_releases(env, stack);
    std::set<int> running;
    for (const Instance& i : list_instances(env)) {
        if (i.stack == stack) {
            running.insert(i.version);
        }
    }
    std::vector<int> removed;
    std::string cmd = "true";
    int rank = 0; // 0 = newest
    for (auto it = versions.rbegin(); it != versions.rend(); ++it, ++rank) {
        if (rank < keep || *it == current || running.count(*it)) {
            continue;
        }
        removed.push_back(*it);
        cmd += " && rm -rf " + q(m_layout.release_dir(env, stack, *it)) + " " +
               q(m_layout.logs_dir()) + "/" + q(fmt::format("{}.{}.", env, stack)) + "*" +
               q(fmt::format(".v{}.", *it)) + "*";
    }
    run("prune", cmd);
    return removed;
}

} // namespace wm::rack
