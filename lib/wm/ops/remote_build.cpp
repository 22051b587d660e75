// The laptop's half of a build on a rack server.
#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/build/record.hpp>
#include <wm/build/sandbox.hpp>
#include <wm/build/steps.hpp>
#include <wm/ops/remote_build.hpp>
#include <wm/ops/source_objects.hpp>
#include <wm/slug/slug.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>

namespace wm::ops {

namespace stdfs = std::filesystem;

namespace {

const PlannedServer* find_server(const DeployPlan& plan, const std::string& name) {
    for (const auto& rack : plan.racks) {
        for (const auto& s : rack.servers) {
            if (s.name == name) {
                return &s;
            }
        }
    }
    return nullptr;
}

std::string server_names(const DeployPlan& plan) {
    std::string out;
    for (const PlannedServer& s : plan.servers()) {
        out += (out.empty() ? "" : ", ") + s.name;
    }
    return out;
}

/// A name no other build uses at the same time (work dirs of one builder are shared).
std::string random_hex(size_t n) {
    std::random_device rd;
    std::string out;
    while (out.size() < n) {
        out += fmt::format("{:08x}", rd());
    }
    return out.substr(0, n);
}

rack::RemoteBuildpack pack_buildpack(const build::Buildpack& bp, const stdfs::path& dir) {
    stdfs::path tar = dir / ("buildpack-" + bp.cache_key + ".tar.zst");
    slug::PackResult packed = slug::pack(bp.dir, tar);
    return {bp.name, packed.sha256, tar, bp.cache_key};
}

std::vector<build::ReleaseOutput> parse_all(const std::vector<std::string>& outputs) {
    std::vector<build::ReleaseOutput> out;
    for (const std::string& text : outputs) {
        out.push_back(build::parse_release_output(text));
    }
    return out;
}

// Whether the builder's own export of the commit (git archive) gives the tree exported here:
// not for a dirty tree, submodules (their objects live in other repositories), .slugignore
// (applied here only) or .gitattributes (git archive may apply more of it than the export).
bool commit_is_the_tree(const source::ExportResult& ex, const stdfs::path& app) {
    return !ex.dirty && ex.submodules.empty() && ex.slugignored.empty() &&
           !stdfs::exists(app / ".slugignore") && !has_git_attributes(app);
}

} // namespace

std::string builder_of(const DeployPlan& plan, const std::string& mode) {
    if (mode == "local") {
        return "";
    }
    if (mode.rfind("server ", 0) == 0) {
        std::string name = mode.substr(7);
        if (find_server(plan, name) == nullptr) {
            fail("build: server {} is not a server of environment {} (its servers: {})", name,
                 plan.environment, server_names(plan));
        }
        return name;
    }
    if (!mode.empty() && mode != "rack") {
        fail("build: '{}' is not one of local, rack, server NAME", mode);
    }
    const PlannedServer& first = plan.racks.front().servers.front();
    return first.local ? "" : first.name;
}

std::string command_with_env(const std::map<std::string, std::string>& env,
                             const std::vector<std::string>& argv) {
    std::vector<std::string> all{"env", "-i"};
    for (const auto& [name, value] : env) {
        all.push_back(name + "=" + value);
    }
    all.insert(all.end(), argv.begin(), argv.end());
    return shell_join(all);
}

rack::BuildJob build_job(const AppEnv& app_env, const build::BuildRequest& req,
                         const std::string& id, const std::string& commit,
                         std::vector<rack::RemoteBuildpack> packs) {
    rack::Layout l;
    rack::BuildJob job;
    job.app_env = app_env;
    job.stack = req.stack.name;
    job.id = id;
    job.config = req.stack.config;
    job.builder_uid = build::k_builder_uid;
    sandbox::Identity user{build::k_builder_uid, build::k_builder_uid, "wm-build", "/tmp"};
    std::string work = l.build_work_dir(id);
    for (const rack::RemoteBuildpack& bp : packs) {
        build::SandboxMounts m{work + "/app",
                               l.build_cache_dir(app_env, req.stack.name) + "/" + bp.cache_key,
                               work + "/env", l.buildpack_dir(bp.hash)};
        std::map<std::string, std::string> env = build::compile_env(commit);
        // Build output interleaves as on a terminal; bin/release's stdout is YAML, kept apart.
        job.compile_commands.push_back(
            command_with_env(env, build::compile_argv("bwrap", m, user)) + " 2>&1");
        job.release_commands.push_back(command_with_env(
            env, build::script_argv("bwrap", m.app, m.buildpack, "release", user)));
    }
    job.buildpacks = std::move(packs);
    return job;
}

build::BuildResult build_on_server(Server& builder, const AppEnv& app_env,
                                   const build::BuildRequest& req, ProcessRunner& runner,
                                   Reporter& reporter) {
    return with_context(
        fmt::format("building stack {} on {}", req.stack.name, builder.name()), [&] {
            if (req.stack.formula != "buildpack") {
                fail("formula '{}' is not supported by wm build yet (use formula: buildpack)",
                     req.stack.formula);
            }
            reporter.step(fmt::format("exporting {} at {}", req.stack.name, req.ref));
            build::BuildResult result;
            result.source = build::inspect_source(req);
            reporter.info(
                fmt::format("source: {} {}", result.source.short_commit, result.source.subject));
            fs::make_dirs(req.state_dir / "cache", 0700);
            fs::TempDir work(req.state_dir / "cache" / "work", req.stack.name + "-remote-");
            stdfs::path app = work.path() / "app";
            source::ExportResult exported = build::export_source(req, app, reporter);
            std::vector<build::Buildpack> chosen =
                build::choose_buildpacks(req, app, nullptr, reporter);
            std::vector<rack::RemoteBuildpack> packs;
            // A dirty tree is not a commit: its build is never reused.
            std::string key = result.source.commit + build::config_hash(req.stack, req.hash_key) +
                              (result.source.dirty ? random_hex(16) : "");
            for (const build::Buildpack& bp : chosen) {
                packs.push_back(pack_buildpack(bp, work.path()));
                key += packs.back().hash;
                result.buildpacks.push_back(bp.name);
            }
            std::string id =
                fmt::format("{}.{}.{}", app_env.flat(), req.stack.name, random_hex(12));
            rack::BuildJob job =
                build_job(app_env, req, id, result.source.commit, std::move(packs));
            job.record_key = fs::sha256_hex(key).substr(0, 32);
            job.source_tar = work.path() / "source.tar.zst";
            slug::pack(app, job.source_tar);
            if (commit_is_the_tree(exported, app)) {
                job.commit = result.source.commit;
                job.subpath = tree_path(runner, req.repo_dir, req.stack.path);
                job.source_pack = [&runner, &req, commit = job.commit,
                                   dir = work.path()](const std::vector<std::string>& known) {
                    return pack_missing_objects(runner, req.repo_dir, commit, known, dir);
                };
            }
            NullReporter quiet; // finish() only needs the config vars; notes are reported below
            rack::BuiltSlug built =
                builder.build_slug(job, [&](const std::vector<std::string>& out) {
                    build::BuildResult scratch;
                    std::string vars =
                        build::apply_releases(parse_all(out), req, app, scratch, quiet);
                    std::map<std::string, std::string> files;
                    if (!vars.empty()) {
                        files[".wm/config-vars.sh"] = vars;
                    }
                    return files;
                });
            build::apply_releases(parse_all(built.release_outputs), req, app, result, reporter);
            result.sha256 = built.sha256;
            result.reused = built.reused;
            result.release_json = build::release_document(
                req.stack.name, result, build::config_hash(req.stack, req.hash_key));
            reporter.info(
                built.reused
                    ? fmt::format("reusing the build on {} (same commit, config and "
                                  "buildpacks)",
                                  builder.name())
                    : fmt::format("slug {} ({:.1f} MB) built on {}", built.sha256.substr(0, 12),
                                  static_cast<double>(built.bytes) / 1e6, builder.name()));
            return result;
        });
}

} // namespace wm::ops
