#pragma once
// What a buildpack's slugs need on a run server: the Debian packages listed in the buildpack's
// `run-packages` file, installed by `wm rack bootstrap`. Built-in and custom buildpacks alike.

#include <wm/base/process.hpp>
#include <wm/base/reporter.hpp>
#include <wm/manifest/manifest.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wm::build {

/// One line of a run-packages file: a Debian package and the command it provides on a run server
/// (what deploy's preflight looks for with `command -v`; empty: preflight asks dpkg for the
/// package instead, for libraries and other packages without a command).
struct RunNeed {
    std::string package;
    std::string command;

    bool operator==(const RunNeed&) const = default;
};

/// The needs of a run-packages text: one `PACKAGE [COMMAND]` per line, "#" starts a comment,
/// surrounding blanks and empty lines ignored, a package listed twice kept once (first wins).
std::vector<RunNeed> parse_run_needs(std::string_view text);

/// The packages of parse_run_needs(text), in order.
std::vector<std::string> parse_run_packages(std::string_view text);

/// The packages of `needs`, in order.
std::vector<std::string> packages_of(const std::vector<RunNeed>& needs);

/// Appends the needs of `more` whose package `to` does not list yet.
void add_needs(std::vector<RunNeed>& to, const std::vector<RunNeed>& more);

/// parse_run_needs of `<buildpack_dir>/run-packages`; empty when the buildpack has none.
std::vector<RunNeed> read_run_needs(const std::filesystem::path& buildpack_dir);

/// parse_run_needs of `<buildpack_dir>/build-packages` (what bin/compile needs on a builder);
/// empty when the buildpack has none.
std::vector<RunNeed> read_build_needs(const std::filesystem::path& buildpack_dir);

/// The run packages of every stack that an environment of `m` on rack `rack` deploys, in stack
/// order without duplicates; empty when no environment uses the rack. Each stack's buildpacks are
/// chosen on the committed tree of HEAD of the repository at `repo_dir` as `wm build` chooses
/// them (explicit list, else detection); tracked files with uncommitted changes are read as they
/// are on disk. Built-in and git buildpacks are materialised under `state_dir`. With `builders`,
/// their build-packages too (the rack builds). Errors: those of the export and of detection,
/// with the stack named.
std::vector<std::string> rack_run_packages(const manifest::Manifest& m, const std::string& rack,
                                           const std::filesystem::path& repo_dir,
                                           const std::filesystem::path& state_dir,
                                           ProcessRunner& runner, Reporter& reporter,
                                           bool builders = false);

} // namespace wm::build
