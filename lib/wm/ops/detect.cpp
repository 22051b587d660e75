#include <wm/base/error.hpp>
#include <wm/ops/detect.hpp>

#include <fmt/format.h>

namespace wm::ops {

namespace {

nlohmann::json detection_json(const build::Detection& d) {
    return {{"buildpack", d.buildpack},
            {"outcome", build::outcome_name(d.outcome)},
            {"file", d.file},
            {"reason", d.reason}};
}

} // namespace

std::filesystem::path app_directory(const std::filesystem::path& path) {
    std::filesystem::path dir = std::filesystem::absolute(path).lexically_normal();
    if (!std::filesystem::is_directory(dir)) {
        throw usage_error(fmt::format("{} is not a directory", path.string()));
    }
    return dir;
}

std::string explain_detection(const std::filesystem::path& dir) {
    std::string out = "detectors, in order (the first that is not \"not mine\" decides):\n";
    for (const build::Detection& d : build::run_detectors(dir).tried) {
        out += fmt::format("  {:<9} {:<9} {}\n", d.buildpack, build::outcome_name(d.outcome),
                           d.reason);
    }
    return out;
}

DetectedApp detect_app(const std::filesystem::path& dir, ProcessRunner& runner) {
    return {dir, build::describe_app(dir, runner)};
}

std::string DetectedApp::text() const {
    const build::Detection& d = *app.report.decided;
    std::string out = fmt::format("buildpack: {} (decided by {})\n", d.buildpack, d.file);
    out +=
        fmt::format("processes ({}):\n", app.process_source.empty() ? "none" : app.process_source);
    for (const auto& [name, command] : app.process_types) {
        out += fmt::format("  {}: {}\n", name, command);
    }
    if (!app.release_command.empty()) {
        out += fmt::format("release command: {}\n", app.release_command);
    }
    for (const std::string& note : app.notes) {
        out += fmt::format("note: {}\n", note);
    }
    return out;
}

nlohmann::json DetectedApp::to_json() const {
    nlohmann::json tried = nlohmann::json::array();
    for (const build::Detection& d : app.report.tried) {
        tried.push_back(detection_json(d));
    }
    nlohmann::json doc = detection_json(*app.report.decided);
    doc["path"] = dir.string();
    doc["tried"] = tried;
    doc["process_types"] = app.process_types;
    doc["process_source"] = app.process_source;
    doc["release_command"] = app.release_command;
    doc["notes"] = app.notes;
    return doc;
}

} // namespace wm::ops
