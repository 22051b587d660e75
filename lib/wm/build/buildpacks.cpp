#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/build/buildpacks.hpp>
#include <wm/build/embedded.hpp>
#include <wm/build/sandbox.hpp>
#include <wm/source/source.hpp>

#include <fmt/format.h>

#include <chrono>

namespace wm::build {

namespace stdfs = std::filesystem;

namespace {

bool is_git_url(std::string_view spec) {
    return spec.find("://") != std::string_view::npos || spec.rfind("git@", 0) == 0 ||
           spec.ends_with(".git");
}

bool is_path(std::string_view spec) {
    return spec.starts_with("/") || spec.starts_with("./") || spec.starts_with("../");
}

/// A hash of the embedded files of `name`, so an unchanged materialisation is not rewritten.
std::string embedded_stamp(const std::string& prefix) {
    std::string all;
    for (const EmbeddedFile& f : embedded_buildpack_files()) {
        if (f.path.starts_with(prefix)) {
            all += fmt::format("{}\n{}\n{}\n", f.path, f.mode, f.data.size());
            all += f.data;
        }
    }
    return fs::sha256_hex(all);
}

std::string builtin_names() {
    std::string out;
    for (const EmbeddedFile& f : embedded_buildpack_files()) {
        std::string_view name = f.path.substr(0, f.path.find('/'));
        if (f.path.find('/') != std::string_view::npos && !out.ends_with(std::string(name))) {
            out += (out.empty() ? "" : ", ") + std::string(name);
        }
    }
    return out;
}

Buildpack clone_buildpack(const std::string& spec, const stdfs::path& state_dir) {
    size_t hash = spec.find('#');
    std::string url = spec.substr(0, hash);
    std::string ref = hash == std::string::npos ? "" : spec.substr(hash + 1);
    std::string key = "git-" + fs::sha256_hex(spec).substr(0, 12);
    stdfs::path dest = state_dir / "cache" / "buildpacks" / key;
    // A branch may have moved since the last build, so the clone is always fresh.
    stdfs::remove_all(dest);
    fs::make_dirs(dest.parent_path());
    with_context(fmt::format("buildpack {}", spec), [&] { source::clone_at(url, ref, dest); });
    return {spec, key, dest, false};
}

/// bin/detect or bin/release under bubblewrap, the app read-only at /app.
ProcessSpec script_spec(const stdfs::path& bp_dir, const stdfs::path& app_dir,
                        const std::string& script) {
    ProcessSpec spec;
    spec.argv = script_argv(find_bwrap(), app_dir, bp_dir, script, builder_identity());
    spec.env = compile_env("");
    spec.clear_env = true;
    spec.timeout = std::chrono::minutes(1);
    return spec;
}

} // namespace

bool is_builtin(std::string_view name) {
    std::string prefix = std::string(name) + "/bin/compile";
    for (const EmbeddedFile& f : embedded_buildpack_files()) {
        if (f.path == prefix) {
            return true;
        }
    }
    return false;
}

void materialise_builtin(const std::string& name, const stdfs::path& dest) {
    std::string prefix = name + "/";
    std::string stamp = embedded_stamp(prefix);
    if (fs::read_file_if_exists(dest / ".wm-embedded") == stamp &&
        (stdfs::status(dest).permissions() & stdfs::perms::others_exec) != stdfs::perms::none) {
        return; // (made by a wm that kept it 0700: made again)
    }
    fs::make_dirs(dest.parent_path());
    fs::TempDir tmp(dest.parent_path(), "." + name + "-");
    for (const EmbeddedFile& f : embedded_buildpack_files()) {
        if (f.path.starts_with(prefix)) {
            fs::write_file_atomic(tmp.path() / f.path.substr(prefix.size()), f.data, f.mode);
        }
    }
    fs::write_file_atomic(tmp.path() / ".wm-embedded", stamp);
    // The builder uid runs its scripts (the state dir above stays its owner's alone).
    stdfs::permissions(tmp.path(), stdfs::perms(0755));
    stdfs::remove_all(dest);
    stdfs::rename(tmp.release(), dest);
}

Buildpack resolve_buildpack(const std::string& spec, const stdfs::path& base_dir,
                            const stdfs::path& state_dir) {
    if (is_git_url(spec)) {
        return clone_buildpack(spec, state_dir);
    }
    if (is_path(spec)) {
        stdfs::path dir = stdfs::absolute(base_dir / spec).lexically_normal();
        if (!stdfs::exists(dir / "bin" / "compile")) {
            fail("buildpack {}: {} has no bin/compile", spec, dir.string());
        }
        return {spec, "path-" + fs::sha256_hex(dir.string()).substr(0, 12), dir, false};
    }
    if (!is_builtin(spec)) {
        fail("unknown buildpack '{}' (built-in: {}; or a path starting with ./ or /, or a git "
             "URL with an optional #ref)",
             spec, builtin_names());
    }
    stdfs::path dir = state_dir / "cache" / "buildpacks" / spec;
    materialise_builtin(spec, dir);
    return {spec, spec, dir, true};
}

std::optional<std::string> run_detect(const Buildpack& bp, const stdfs::path& app_dir,
                                      ProcessRunner& runner) {
    ProcessResult r = runner.run(script_spec(bp.dir, app_dir, "detect"));
    if (r.exit_code == 1) {
        return std::nullopt;
    }
    if (r.exit_code != 0) {
        fail("buildpack {}: bin/detect exited {}: {}", bp.name, r.exit_code, r.err);
    }
    std::string name = r.out.substr(0, r.out.find('\n'));
    return name.empty() ? bp.name : name;
}

ReleaseOutput run_release(const stdfs::path& bp_dir, const stdfs::path& app_dir,
                          ProcessRunner& runner) {
    ProcessResult r = runner.run(script_spec(bp_dir, app_dir, "release"));
    if (r.exit_code != 0) {
        fail("{}: bin/release exited {}: {}", bp_dir.string(), r.exit_code, r.err);
    }
    return parse_release_output(r.out);
}

} // namespace wm::build
