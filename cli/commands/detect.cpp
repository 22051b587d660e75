// wm detect [PATH] [--explain] [--json]: which buildpack claims an app directory, and why.
#include "commands.hpp"

#include <wm/base/error.hpp>
#include <wm/build/detect.hpp>

#include <fmt/format.h>

#include <memory>

namespace wm::cli {

namespace {

struct DetectOptions {
    std::string path = ".";
    bool explain = false;
};

nlohmann::json detection_json(const build::Detection& d) {
    return {{"buildpack", d.buildpack},
            {"outcome", build::outcome_name(d.outcome)},
            {"file", d.file},
            {"reason", d.reason}};
}

std::string explain_text(const build::DetectReport& report) {
    std::string out = "detectors, in order (the first that is not \"not mine\" decides):\n";
    for (const build::Detection& d : report.tried) {
        out += fmt::format("  {:<9} {:<9} {}\n", d.buildpack, build::outcome_name(d.outcome),
                           d.reason);
    }
    return out;
}

std::string result_text(const build::AppDescription& app) {
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

void run_detect(Context& ctx, const DetectOptions& opts) {
    std::filesystem::path dir = std::filesystem::absolute(opts.path).lexically_normal();
    if (!std::filesystem::is_directory(dir)) {
        throw usage_error(fmt::format("{} is not a directory", opts.path));
    }
    if (opts.explain && !ctx.options.json) {
        ctx.print(explain_text(build::run_detectors(dir)));
    }
    build::AppDescription app = build::describe_app(dir, ctx.runner());
    if (!ctx.options.json) {
        ctx.print(result_text(app));
        return;
    }
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
    ctx.print_json(doc);
}

} // namespace

void add_detect_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<DetectOptions>();
    auto* cmd = app.add_subcommand("detect", "Show which buildpack builds an app and what it runs");
    cmd->footer("Detectors run in order: node, python, ruby, go, java, php, static, procfile.\n"
                "Each says mine, not mine, or mine but broken (then the build would fail).\n"
                "Without a Procfile the buildpack's default web process is used; a Procfile\n"
                "release: entry becomes the release command.\n\n"
                "Examples:\n"
                "  wm detect\n"
                "  wm detect examples/polyglot/backend --explain\n"
                "  wm detect frontend --json");
    cmd->add_option("path", opts->path, "App directory (default: the current directory)");
    cmd->add_flag("--explain", opts->explain, "Show every detector asked and its answer");
    add_global_flags(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_detect(ctx, *opts); });
}

} // namespace wm::cli
