#pragma once
// `wm init`: the first widemesh.yaml of a repository.

#include <wm/manifest/scaffold.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace wm::ops {

/// What `wm init` wrote.
struct InitResult {
    manifest::ScaffoldFacts facts;
    bool overwritten = false; ///< a widemesh.yaml was there and --force replaced it
    std::string url;          ///< where the first `wm deploy` serves it (the local rack's alias)
    std::string refused;      ///< why the build would refuse the app ("" when it would not)

    /// "wrote|overwrote widemesh.yaml for app X (detected B from M)\nnext: ... (serves URL)\n";
    /// instead of "detected ...": "no language detected" or "the build would refuse it: <why>".
    std::string text() const;
    /// {file, app, buildpack, marker, procfile, overwritten, refused}.
    nlohmann::json to_json() const;
};

/// Writes <dir>/widemesh.yaml (atomically) for the repository in `dir`, the language decided by
/// the build's detector chain (build::run_detectors). Throws Error when the file exists and
/// `force` is false.
InitResult init_manifest(const std::filesystem::path& dir, bool force);

} // namespace wm::ops
