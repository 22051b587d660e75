// ServerOps: slugs, releases/v<N> (unpack, config, release command) and pruning them.
#include <wm/base/error.hpp>
#include <wm/rack/retention.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/runtime/commands.hpp>

#include <fmt/format.h>

#include <set>

namespace wm::rack {

bool ServerOps::has_slug(const std::string& sha256) {
    return m_transport.run(file_nonempty_command(m_layout.slug(sha256))).ok();
}

void ServerOps::upload_slug(const std::filesystem::path& local, const std::string& sha256,
                            const transport::ProgressFn& progress) {
    run("upload", make_dirs_command({m_layout.slugs_dir()}));
    at_step(server(), "upload",
            [&] { m_transport.upload(local, m_layout.slug(sha256), 0600, progress); });
}

std::vector<int> ServerOps::list_releases(const AppEnv& ae, const std::string& stack) {
    return parse_versions(m_transport.run(list_releases_command(m_layout, ae, stack)).out);
}

int ServerOps::next_version(const AppEnv& ae, const std::string& stack) {
    std::vector<int> v = list_releases(ae, stack);
    return v.empty() ? 0 : v.back() + 1;
}

void ServerOps::unpack_release(const AppEnv& ae, const std::string& stack, int version,
                               const std::string& sha256, const nlohmann::json& release_json) {
    std::optional<sandbox::Identity> id = tenant(ae);
    run("unpack",
        unpack_command(m_layout, ae, stack, version, sha256, id ? id->uid : 0, id ? id->gid : 0) +
            " && " + record_slug_command(m_layout, ae, stack, version, sha256));
    m_transport.write_file(m_layout.release_dir(ae, stack, version) + "/release.json",
                           release_json.dump(2) + "\n");
}

void ServerOps::write_config(const AppEnv& ae, const std::string& stack, int version,
                             const std::map<std::string, std::string>& config) {
    for (const auto& [name, value] : config) {
        if (!runtime::valid_env_name(name)) {
            fail_step("config", fmt::format("invalid variable name '{}'", name));
        }
    }
    run("config", reset_config_command(m_layout, ae, stack, version));
    std::string dir = m_layout.release_env_dir(ae, stack, version);
    for (const auto& [name, value] : config) {
        m_transport.write_file(dir + "/" + name, runtime::envdir_value(value), 0600);
    }
}

transport::RunResult ServerOps::run_release_command(const AppEnv& ae, const std::string& stack,
                                                    int version, const std::string& command,
                                                    std::chrono::seconds timeout) {
    runtime::SandboxSpec spec;
    spec.app_dir = m_layout.release_app_dir(ae, stack, version);
    spec.scratch_dir = m_layout.release_dir(ae, stack, version) + "/.release-layer";
    spec.env_dir = m_layout.release_env_dir(ae, stack, version);
    spec.command = command;
    spec.layer = m_layer;
    confine(spec, ae);
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
    auto r = run_cancellable("release", release_command(spec), opts);
    if (!pending.empty()) {
        m_reporter.output(pending, server());
    }
    m_transport.run(remove_scratch_command(spec.scratch_dir));
    log_release(ae, stack, version, r);
    return r;
}

std::vector<int> ServerOps::prune_releases(const AppEnv& ae, const std::string& stack, int keep,
                                           int current) {
    std::vector<int> versions = list_releases(ae, stack);
    std::set<int> running;
    for (const Instance& i : list_instances(ae)) {
        if (i.stack == stack) {
            running.insert(i.version);
        }
    }
    std::set<int> retain = retained_versions(read_deployments(ae, stack), keep, current);
    std::vector<int> removed;
    for (int v : versions) {
        if (!retain.count(v) && !running.count(v)) {
            removed.push_back(v);
        }
    }
    run("prune", prune_command(m_layout, ae, stack, removed));
    run("prune", prune_slugs_command(m_layout, k_slug_grace_minutes));
    return removed;
}

} // namespace wm::rack
