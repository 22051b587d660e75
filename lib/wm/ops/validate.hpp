#pragma once
// `wm validate` and `wm manifest show`: a manifest checked, or one environment resolved, with
// the racks registered in the state directory known.

#include <wm/manifest/load.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace wm::ops {

/// A manifest checked: every problem, or the model when there is none.
struct Validation {
    std::filesystem::path file; ///< as given
    manifest::CheckResult check;

    bool valid() const { return check.problems.empty(); }
    /// {file, valid, problems: [{file, line, column, key_path, message}], summary?}.
    nlohmann::json to_json() const;
    /// "<file>: ok (<summary>)\n" when valid; else every problem, one "FILE:LINE:COL: ..." line
    /// each.
    std::string text() const;
    /// Throws "<file> is invalid (N problems)" (exit 1) unless valid.
    void require_valid() const;
};

/// Checks the manifest at `file` (reads only; never throws for problems in it).
Validation validate_manifest(const std::filesystem::path& file,
                             const std::filesystem::path& state_dir);

/// What `wm manifest show` prints: the resolved environment as YAML text and as JSON.
struct EnvironmentView {
    std::string text; ///< YAML, ends with a newline
    std::string json; ///< one line with a newline
};

/// Loads the manifest at `file` and resolves `environment` (empty: the first declared) with only
/// the racks of `region` when not empty. Throws Error for an invalid manifest, an unknown
/// environment or a region no rack has.
EnvironmentView show_environment(const std::filesystem::path& file,
                                 const std::filesystem::path& state_dir,
                                 const std::string& environment, const std::string& region);

} // namespace wm::ops
