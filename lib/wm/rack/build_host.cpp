// BuildHost: a build on the builder (reuse, buildpacks, source, compile, release, pack, record)
// and the slug offer/fetch between servers.
#include <wm/base/error.hpp>
#include <wm/rack/build_host.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/source_commands.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace wm::rack {

namespace {

/// Cuts streamed chunks into output events of one server; a partial line waits for its end.
class ServerLines {
  public:
    ServerLines(Reporter& r, std::string server) : m_reporter(r), m_server(std::move(server)) {}
    void feed(std::string_view chunk) {
        m_pending += chunk;
        for (size_t nl; (nl = m_pending.find('\n')) != std::string::npos;) {
            m_reporter.output(m_pending.substr(0, nl), m_server);
            m_pending.erase(0, nl + 1);
        }
    }
    ~ServerLines() {
        if (!m_pending.empty()) {
            m_reporter.output(m_pending, m_server);
        }
    }

  private:
    Reporter& m_reporter;
    std::string m_server;
    std::string m_pending;
};

/// Commits of the builder's repository the laptop looks for in its own.
constexpr int k_known_commits = 64;

} // namespace

BuildHost::BuildHost(transport::Transport& t, Layout layout, Reporter& reporter)
    : m_transport(t), m_layout(std::move(layout)), m_reporter(reporter) {}

std::string BuildHost::run(const std::string& command, const transport::RunOptions& options) {
    return transport::run_checked(m_transport, "build", command, options).out;
}

void BuildHost::run_streamed(const std::string& command, const std::string& what,
                             std::chrono::seconds timeout) {
    transport::RunOptions o;
    o.timeout = timeout;
    transport::RunResult r;
    {
        ServerLines lines(m_reporter, m_transport.name());
        o.on_output = [&](Stream, std::string_view chunk) { lines.feed(chunk); };
        r = m_transport.run(command, o);
    }
    if (!r.ok()) {
        throw Error(r.timed_out ? fmt::format("{} timed out", what)
                                : fmt::format("{} failed (exit {})", what, r.exit_code))
            .with_step("build")
            .with_server(m_transport.name());
    }
}

bool BuildHost::has_valid_slug(const std::string& sha256) {
    return m_transport.run(slug_valid_command(m_layout, sha256)).ok();
}

std::optional<BuiltSlug> BuildHost::recorded(const BuildJob& job) {
    transport::RunResult r =
        m_transport.run(cat_command(m_layout.build_record(job.app_env, job.stack, job.record_key)));
    if (!r.ok() || r.out.empty()) {
        return std::nullopt;
    }
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    if (j.is_discarded() || !j.contains("sha256") || !has_valid_slug(j.value("sha256", ""))) {
        return std::nullopt;
    }
    BuiltSlug s{j.value("sha256", ""), j.value("bytes", std::uint64_t{0}),
                j.value("release_outputs", std::vector<std::string>{}), true};
    return s;
}

void BuildHost::install_buildpacks(const BuildJob& job) {
    for (const RemoteBuildpack& bp : job.buildpacks) {
        if (m_transport.run(buildpack_present_command(m_layout, bp.hash)).ok()) {
            continue;
        }
        std::string tar = m_layout.build_dir() + "/buildpacks/.upload-" + bp.hash + ".tar.zst";
        run(make_dirs_command({m_layout.build_dir() + "/buildpacks"}));
        at_step(m_transport.name(), "build", [&] { m_transport.upload(bp.tar, tar, 0600); });
        run(install_buildpack_command(m_layout, bp.hash, tar));
        m_reporter.info(fmt::format("buildpack {} installed ({})", bp.name, bp.hash.substr(0, 12)),
                        m_transport.name());
    }
}

// The source as the git objects the builder's repository lacks; false when the builder has no
// git (the caller sends the tree).
bool BuildHost::stage_commit(const BuildJob& job) {
    auto known =
        parse_known_commits(run(known_commits_command(m_layout, job.app_env.app, k_known_commits)));
    if (!known) {
        m_reporter.warn("git is not installed: the whole source tree goes to the builder "
                        "(wm rack bootstrap installs it)",
                        m_transport.name());
        return false;
    }
    std::optional<SourcePack> pack = job.source_pack(*known);
    std::string remote;
    if (pack) {
        remote = m_layout.build_dir() + "/work/.source-" + job.id + ".pack";
        run(make_dirs_command({m_layout.build_dir() + "/work"}));
        at_step(m_transport.name(), "build", [&] { m_transport.upload(pack->pack, remote, 0600); });
    }
    run(stage_commit_command(m_layout, job.app_env.app, job.id, remote, job.commit, job.subpath));
    m_reporter.info(!pack ? "source: every object already on the builder"
                          : fmt::format("source: {} git objects, {} bytes ({})", pack->objects,
                                        pack->bytes,
                                        pack->bases == 0 ? "no commit in common: the whole tree"
                                                         : "the rest is on the builder"),
                    m_transport.name());
    return true;
}

void BuildHost::stage_tree(const BuildJob& job) {
    std::string tar = m_layout.build_dir() + "/work/.source-" + job.id + ".tar.zst";
    run(make_dirs_command({m_layout.build_dir() + "/work"}));
    std::error_code unknown;
    std::uintmax_t bytes = std::filesystem::file_size(job.source_tar, unknown);
    m_reporter.info(fmt::format("source: the whole tree, {} bytes", unknown ? 0 : bytes),
                    m_transport.name());
    at_step(m_transport.name(), "build", [&] { m_transport.upload(job.source_tar, tar, 0600); });
    run(stage_source_command(m_layout, job.id, tar));
}

void BuildHost::stage(const BuildJob& job) {
    if (!job.source_pack || !stage_commit(job)) {
        stage_tree(job);
    }
    std::string env = m_layout.build_work_dir(job.id) + "/env/";
    for (const auto& [name, value] : job.config) {
        m_transport.write_file(env + name, value, 0600);
    }
    if (job.builder_uid > 0) {
        std::vector<std::string> caches;
        for (const RemoteBuildpack& bp : job.buildpacks) {
            caches.push_back(m_layout.build_cache_dir(job.app_env, job.stack) + "/" + bp.cache_key);
        }
        run(give_build_command(m_layout, job.id, caches, job.builder_uid));
    }
}

BuiltSlug BuildHost::compile_and_pack(const BuildJob& job, const FinishFn& finish) {
    for (size_t i = 0; i < job.compile_commands.size(); ++i) {
        m_reporter.step(
            fmt::format("compiling with {} on {}", job.buildpacks[i].name, m_transport.name()));
        run_streamed(job.compile_commands[i],
                     fmt::format("buildpack {}: bin/compile", job.buildpacks[i].name), job.timeout);
    }
    BuiltSlug out;
    for (const std::string& command : job.release_commands) {
        out.release_outputs.push_back(run(command));
    }
    std::string app = m_layout.build_work_dir(job.id) + "/app/";
    for (const auto& [path, content] : finish(out.release_outputs)) {
        run(make_dirs_command({std::filesystem::path(app + path).parent_path().string()}));
        m_transport.write_file(app + path, content, 0644);
    }
    m_reporter.step(fmt::format("packaging slug on {}", m_transport.name()));
    std::istringstream packed(run(pack_slug_command(m_layout, job.id)));
    if (!(packed >> out.sha256 >> out.bytes) || out.sha256.size() != 64) {
        throw Error("packing the slug printed no sha256")
            .with_step("build")
            .with_server(m_transport.name());
    }
    nlohmann::json record{
        {"sha256", out.sha256}, {"bytes", out.bytes}, {"release_outputs", out.release_outputs}};
    std::string path = m_layout.build_record(job.app_env, job.stack, job.record_key);
    run(make_dirs_command({std::filesystem::path(path).parent_path().string()}));
    m_transport.write_file(path, record.dump() + "\n", 0600);
    return out;
}

BuiltSlug BuildHost::build(const BuildJob& job, const FinishFn& finish) {
    if (auto done = recorded(job)) {
        return *done;
    }
    install_buildpacks(job);
    try {
        stage(job);
        BuiltSlug out = compile_and_pack(job, finish);
        run(remove_build_command(m_layout, job.id));
        return out;
    } catch (...) {
        m_transport.run(remove_build_command(m_layout, job.id));
        throw;
    }
}

SlugOffer BuildHost::offer_slugs(const std::string& id, const std::string& address) {
    std::string out =
        transport::run_checked(m_transport, "slug", offer_slugs_command(m_layout, id)).out;
    return at_step(m_transport.name(), "slug", [&] { return parse_offer(id, out, address); });
}

void BuildHost::withdraw(const SlugOffer& offer) noexcept {
    try {
        m_transport.run(withdraw_slugs_command(m_layout, offer.id));
    } catch (...) { // the daemon's files stay; it serves nothing a token-less client can read
    }
}

std::uint64_t BuildHost::fetch_slug(const SlugOffer& offer, const std::string& sha256) {
    transport::RunOptions o;
    o.stdin_data = offer.token + "\n";
    o.timeout = std::chrono::minutes(15);
    std::string out =
        transport::run_checked(m_transport, "slug", fetch_slug_command(m_layout, offer, sha256), o)
            .out;
    try {
        return std::stoull(out);
    } catch (const std::exception&) {
        return 0; // fetched and verified; rsync's statistics were not printed
    }
}

} // namespace wm::rack
