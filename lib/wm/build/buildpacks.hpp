#pragma once
// Finding buildpacks: built-in ones (embedded, materialised on demand), local paths and git
// URLs with an optional #ref; and running their bin/detect and bin/release.

#include <wm/base/process.hpp>
#include <wm/build/procfile.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace wm::build {

/// A buildpack ready to run.
struct Buildpack {
    std::string name;          ///< "node", or a custom pack's spec as written in the manifest
    std::string cache_key;     ///< file-name-safe key of its per-stack cache directory
    std::filesystem::path dir; ///< holds bin/detect, bin/compile, bin/release
    bool builtin = false;
};

/// True for the names of templates/buildpacks.
bool is_builtin(std::string_view name);

/// Writes the embedded files of built-in `name` into `dest` (replaced if it differs).
void materialise_builtin(const std::string& name, const std::filesystem::path& dest);

/// Resolves a manifest entry: a built-in name, a local path (absolute, or relative to
/// `base_dir`), or a git URL (`https://...`, `file://...`, `git@...`, `*.git`) with an optional
/// `#ref`, cloned into <state_dir>/cache/buildpacks/git-<hash>.
Buildpack resolve_buildpack(const std::string& spec, const std::filesystem::path& base_dir,
                            const std::filesystem::path& state_dir);

/// Runs bin/detect APP_DIR: the name it prints when it exits 0, nullopt when it exits 1, and an
/// Error for anything else.
std::optional<std::string> run_detect(const Buildpack& bp, const std::filesystem::path& app_dir,
                                      ProcessRunner& runner);

/// Runs bin/release APP_DIR and returns its default_process_types and config_vars.
ReleaseOutput run_release(const std::filesystem::path& bp_dir, const std::filesystem::path& app_dir,
                          ProcessRunner& runner);

} // namespace wm::build
