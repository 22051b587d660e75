// build_stack: export -> reuse check -> buildpacks -> compile (bubblewrap) -> processes -> slug.

#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/build/build.hpp>
#include <wm/build/buildpacks.hpp>
#include <wm/build/detect.hpp>
#include <wm/build/procfile.hpp>
#include <wm/build/record.hpp>
#include <wm/build/run_packages.hpp>
#include <wm/build/sandbox.hpp>
#include <wm/build/steps.hpp>
#include <wm/slug/slug.hpp>
#include <wm/source/source.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace wm::build {

namespace stdfs = std::filesystem;

namespace {

constexpr std::uint64_t k_large_slug = 300ull * 1024 * 1024;
constexpr auto k_compile_timeout = std::chrono::minutes(30);

source::ExportRequest export_request(const BuildRequest& req, const stdfs::path& dest) {
    source::ExportRequest er;
    er.repo_dir = req.repo_dir;
    er.ref = req.ref;
    er.subpath = req.stack.path;
    er.dest = dest;
    er.allow_dirty = req.allow_dirty;
    return er;
}

SourceInfo source_info(const source::ExportResult& ex) {
    const source::CommitInfo& c = ex.commit;
    return {c.commit, c.short_commit, c.subject, c.author, ex.dirty};
}

} // namespace

SourceInfo inspect_source(const BuildRequest& req) {
    return source_info(source::inspect_tree(export_request(req, {})));
}

source::ExportResult export_source(const BuildRequest& req, const stdfs::path& dest,
                                   Reporter& reporter) {
    source::ExportResult ex = source::export_tree(export_request(req, dest));
    for (const std::string& sub : ex.submodules) {
        reporter.info(fmt::format("submodule {} included", sub));
    }
    if (!ex.slugignored.empty()) {
        reporter.info(fmt::format(".slugignore removed {} path(s)", ex.slugignored.size()));
    }
    for (const std::string& link : ex.outside_symlinks) {
        reporter.warn(fmt::format("symlink {} points outside the stack's path ({}): the slug "
                                  "does not contain its target",
                                  link, req.stack.path));
    }
    // The manifest is deploy metadata (servers, every environment's config), not app code:
    // it never reaches a slug, so no instance can read it.
    stdfs::remove(dest / "widemesh.yaml");
    return ex;
}

namespace {

Buildpack detected_buildpack(const stdfs::path& app, const stdfs::path& state_dir,
                             Reporter& reporter) {
    DetectReport report = run_detectors(app);
    const Detection& match = require_match(report, app);
    reporter.info(fmt::format("detected {} ({})", match.buildpack, match.reason));
    return resolve_buildpack(match.buildpack, app, state_dir);
}

/// An explicitly listed buildpack must still recognise the app (as on Heroku).
void check_explicit(const Buildpack& bp, const stdfs::path& app, ProcessRunner* runner) {
    if (!bp.builtin) {
        if (!run_detect(bp, app, *runner)) {
            fail("buildpack {} does not recognise the app (bin/detect exited 1)", bp.name);
        }
        return;
    }
    for (const Detector& d : builtin_detectors()) {
        if (d.name != bp.name) {
            continue;
        }
        Detection det = d.detect(app);
        if (det.outcome != Outcome::mine) {
            fail("{} buildpack: {}", bp.name, det.reason);
        }
    }
}

} // namespace

std::vector<Buildpack> choose_buildpacks(const BuildRequest& req, const stdfs::path& app,
                                         ProcessRunner* runner, Reporter& reporter) {
    if (req.stack.buildpacks.empty()) {
        return {detected_buildpack(app, req.state_dir, reporter)};
    }
    std::vector<Buildpack> out;
    for (const std::string& spec : req.stack.buildpacks) {
        out.push_back(resolve_buildpack(spec, req.repo_dir, req.state_dir));
        if (runner != nullptr || out.back().builtin) {
            check_explicit(out.back(), app, runner);
        }
    }
    return out;
}

std::string apply_releases(const std::vector<ReleaseOutput>& released, const BuildRequest& req,
                           const stdfs::path& app, BuildResult& result, Reporter& reporter) {
    std::map<std::string, std::string> config_vars;
    for (const ReleaseOutput& r : released) {
        for (const auto& [name, command] : r.process_types) {
            result.process_types[name] = command;
        }
        for (const auto& [name, value] : r.config_vars) {
            config_vars[name] = value; // a later buildpack wins, as its bin/release ran last
        }
    }
    std::vector<std::string> notes;
    apply_procfile(app, result.process_types, result.release_command, notes);
    for (const std::string& note : notes) {
        reporter.info(note);
    }
    if (!req.stack.release_command.empty()) {
        result.release_command = req.stack.release_command;
    }
    return config_vars.empty() ? "" : render_config_vars(config_vars);
}

namespace {

void compile(const Buildpack& bp, const BuildRequest& req, const stdfs::path& work,
             const std::string& commit, ProcessRunner& runner, Reporter& reporter) {
    stdfs::path cache = req.state_dir / "cache" / "stacks" / req.stack.name / bp.cache_key;
    fs::make_dirs(cache, 0700);
    SandboxMounts mounts{work / "app", cache, work / "env", bp.dir};
    reporter.step(fmt::format("compiling with {}", bp.name));
    ProcessSpec spec;
    std::optional<sandbox::Identity> user = builder_identity();
    if (user) { // root builds as the builder uid, which must own what bin/compile writes
        give_to(mounts.app, *user);
        give_to(mounts.env, *user);
        give_to(mounts.cache, *user);
    }
    spec.argv = compile_argv(find_bwrap(), mounts, user);
    spec.env = compile_env(commit);
    spec.clear_env = true;
    spec.timeout = k_compile_timeout;
    run_reported(runner, spec, reporter, fmt::format("buildpack {}: bin/compile", bp.name));
}

void collect_processes(const std::vector<Buildpack>& packs, const BuildRequest& req,
                       const stdfs::path& app, ProcessRunner& runner, BuildResult& result,
                       Reporter& reporter) {
    std::vector<ReleaseOutput> released;
    for (const Buildpack& bp : packs) {
        released.push_back(run_release(bp.dir, app, runner));
    }
    std::string vars = apply_releases(released, req, app, result, reporter);
    if (!vars.empty()) {
        fs::make_dirs(app / ".wm");
        fs::write_file_atomic(app / ".wm" / "config-vars.sh", vars);
    }
}

void package(const stdfs::path& app, const stdfs::path& state_dir, BuildResult& result,
             Reporter& reporter) {
    reporter.step("packaging slug");
    stdfs::path slugs = state_dir / "slugs";
    fs::make_dirs(slugs, 0700); // a slug holds the app's code: the state dir's owner only
    fs::TempDir tmp(slugs, ".pack-");
    stdfs::path out = tmp.path() / "slug.tar.zst";
    slug::PackResult packed = slug::pack(app, out);
    stdfs::permissions(out, stdfs::perms::owner_read | stdfs::perms::owner_write);
    result.sha256 = packed.sha256;
    result.slug_path = slugs / (packed.sha256 + ".tar.zst");
    stdfs::rename(out, result.slug_path);
    reporter.info(fmt::format("slug {} ({:.1f} MB, {} entries)", result.slug_path.string(),
                              static_cast<double>(packed.bytes) / 1e6, packed.entries));
    if (packed.bytes > k_large_slug) {
        reporter.warn(fmt::format("slug is {} MB, over 300 MB: deploys will upload slowly; "
                                  "check for build artefacts or caches in the app tree",
                                  packed.bytes / (1024 * 1024)));
    }
}

/// Work directories left behind by a killed build (older than a day, so never a running one).
void prune_stale_work(const stdfs::path& work_root) {
    std::error_code ec;
    auto cutoff = stdfs::file_time_type::clock::now() - std::chrono::hours(24);
    for (const auto& entry : stdfs::directory_iterator(work_root, ec)) {
        if (entry.last_write_time(ec) < cutoff && !ec) {
            stdfs::remove_all(entry.path(), ec);
        }
    }
}

} // namespace

BuildResult build_stack(const BuildRequest& req, ProcessRunner& runner, Reporter& reporter) {
    return with_context(fmt::format("building stack {}", req.stack.name), [&] {
        auto started = std::chrono::steady_clock::now();
        if (req.stack.formula != "buildpack") {
            fail("formula '{}' is not supported by wm build yet (use formula: buildpack)",
                 req.stack.formula);
        }
        reporter.step(fmt::format("exporting {} at {}", req.stack.name, req.ref));
        BuildResult result;
        result.source = inspect_source(req);
        const SourceInfo& src = result.source;
        reporter.info(fmt::format("source: {} {}{}", src.short_commit, src.subject,
                                  src.dirty ? " (dirty working tree)" : ""));
        std::string hash = config_hash(req.stack, req.hash_key);
        stdfs::path record = record_path(req.state_dir, req.stack.name, src.commit, hash);
        if (auto done = src.dirty ? std::nullopt : read_record(record)) {
            reporter.info(fmt::format("reusing the build of {} (same commit and config): {}",
                                      src.short_commit, done->slug_path.string()));
            return *done;
        }
        // The state dir holds code and config: its owner's alone, whoever creates it first.
        fs::make_dirs(req.state_dir / "cache", 0700);
        prune_stale_work(req.state_dir / "cache" / "work");
        fs::TempDir work(req.state_dir / "cache" / "work", req.stack.name + "-");
        stdfs::path app = work.path() / "app";
        export_source(req, app, reporter);
        std::vector<Buildpack> packs = choose_buildpacks(req, app, &runner, reporter);
        write_env_dir(work.path() / "env", req.stack.config);
        // Concurrent builds of one stack would race on its dependency caches.
        fs::FileLock cache_lock(req.state_dir / "cache" / "stacks" / (req.stack.name + ".lock"),
                                true);
        for (const Buildpack& bp : packs) {
            compile(bp, req, work.path(), src.commit, runner, reporter);
            result.buildpacks.push_back(bp.name);
        }
        collect_processes(packs, req, app, runner, result, reporter);
        package(app, req.state_dir, result, reporter);
        result.release_json = release_document(req.stack.name, result, hash);
        if (!src.dirty) {
            write_record(record, result);
        }
        auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
        reporter.info(
            fmt::format("built {} {} in {:.1f} s", req.stack.name, src.short_commit, secs.count()));
        return result;
    });
}

std::vector<RunNeed> stack_run_needs(const BuildRequest& req, ProcessRunner& runner,
                                     Reporter& reporter, bool with_build) {
    return with_context(fmt::format("stack {}", req.stack.name), [&] {
        fs::TempDir work(req.state_dir / "cache" / "work", req.stack.name + "-detect-");
        stdfs::path app = work.path() / "app";
        export_source(req, app, reporter);
        std::vector<RunNeed> out;
        for (const Buildpack& bp : choose_buildpacks(req, app, &runner, reporter)) {
            add_needs(out, read_run_needs(bp.dir));
            if (with_build) {
                add_needs(out, read_build_needs(bp.dir));
            }
        }
        return out;
    });
}

} // namespace wm::build
