#pragma once
// Reading widemesh.yaml: parse, check every key, fill defaults. Problems are collected, not
// thrown one by one, so a user fixes the whole file in one round.

#include <wm/base/error.hpp>
#include <wm/manifest/manifest.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wm::manifest {

/// One thing wrong with a manifest, at a position of the file.
struct Problem {
    std::string file;
    int line = 0;         ///< 1-based
    int column = 0;       ///< 1-based
    std::string key_path; ///< "stacks.web.services.web.instances"; empty for the whole file
    std::string message;

    /// "FILE:LINE:COL: key.path: message" (the key path is left out when empty).
    std::string format() const;
};

/// The outcome of checking a manifest: the model when there were no problems.
struct CheckResult {
    std::optional<Manifest> manifest;
    std::vector<Problem> problems;
};

/// Facts from outside the file that loading needs.
struct LoadOptions {
    /// Racks registered in the state directory (`wm rack add`): environments may name them.
    /// They join Manifest::racks (marked `registered`) unless the manifest declares a rack of
    /// the same name, which wins.
    std::vector<RackSpec> registered_racks;
};

/// Parses and validates `text` (named `file_name` in messages); never throws for bad input.
CheckResult check_string(std::string_view text, const std::string& file_name,
                         const LoadOptions& options = {});
/// Reads and checks the file; throws Error when it cannot be read.
CheckResult check_file(const std::filesystem::path& path, const LoadOptions& options = {});

/// Parses and validates `text`; throws Error listing every problem, one per line, as
/// "FILE:LINE:COL: key.path: message" (exit code 1).
Manifest load_string(std::string_view text, const std::string& file_name,
                     const LoadOptions& options = {});
/// Reads, parses and validates the file (see load_string); a missing file is an Error too.
Manifest load_file(const std::filesystem::path& path, const LoadOptions& options = {});

/// The Error load_* throw for `problems`: every problem's format(), one per line.
Error problems_error(const std::vector<Problem>& problems);

} // namespace wm::manifest
