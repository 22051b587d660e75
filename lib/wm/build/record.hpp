#pragma once
// release.json and the build records that let an unchanged commit + config skip the build.

#include <wm/build/build.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace wm::build {

/// First 12 hex of the sha256 over what changes a build besides the commit: the stack's path,
/// buildpacks, config, release command and the wm version.
std::string config_hash(const manifest::StackSpec& stack, const std::string& key);

/// <state_dir>/cache/builds/<stack>-<commit>-<config hash>.json
std::filesystem::path record_path(const std::filesystem::path& state_dir, const std::string& stack,
                                  const std::string& commit, const std::string& hash);

/// The release.json document of a finished build (no timestamps: equal builds, equal files).
nlohmann::json release_document(const std::string& stack, const BuildResult& result,
                                const std::string& hash);

/// Writes the record of `result` atomically.
void write_record(const std::filesystem::path& path, const BuildResult& result);

/// The build a release.json document describes (slug_path left empty, reused = true): what a
/// re-release of a running slug needs without building it again.
BuildResult result_of_release(const nlohmann::json& release);

/// The recorded build at `path` if the record and its slug both exist (reused = true).
std::optional<BuildResult> read_record(const std::filesystem::path& path);

} // namespace wm::build
