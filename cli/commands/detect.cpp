// wm detect [PATH] [--explain] [--json]: which buildpack claims an app directory, and why.
#include "commands.hpp"

#include <wm/ops/detect.hpp>

#include <memory>

namespace wm::cli {

namespace {

struct DetectOptions {
    std::string path = ".";
    bool explain = false;
};

void run_detect(Context& ctx, const DetectOptions& opts) {
    std::filesystem::path dir = ops::app_directory(opts.path);
    if (opts.explain && !ctx.options.json) {
        ctx.print(ops::explain_detection(dir));
    }
    ops::DetectedApp app = ops::detect_app(dir, ctx.runner());
    if (ctx.options.json) {
        ctx.print_json(app.to_json());
    } else {
        ctx.print(app.text());
    }
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
