#pragma once
// `wm detect`: which buildpack claims an app directory, why, and what the app would run.

#include <wm/base/process.hpp>
#include <wm/build/detect.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace wm::ops {

/// The app directory `path` made absolute and normal; throws a usage Error unless it is a
/// directory.
std::filesystem::path app_directory(const std::filesystem::path& path);

/// `--explain`: every detector asked about `dir`, in order, with its answer (pure text; the
/// detectors only read files).
std::string explain_detection(const std::filesystem::path& dir);

/// A detected app: the deciding buildpack and its processes.
struct DetectedApp {
    std::filesystem::path dir;
    build::AppDescription app;

    /// "buildpack: ...", "processes (...):" with one line each, "release command: ...",
    /// "note: ..." lines.
    std::string text() const;
    /// {buildpack, outcome, file, reason, path, tried, process_types, process_source,
    /// release_command, notes}.
    nlohmann::json to_json() const;
};

/// Detects the app in `dir` (from app_directory()) and asks its buildpack for default
/// processes. Throws Error when no buildpack claims it or the one that does finds it broken.
DetectedApp detect_app(const std::filesystem::path& dir, ProcessRunner& runner);

} // namespace wm::ops
