// wm validate, wm manifest show: check widemesh.yaml and show what an environment resolves to.
#include "commands.hpp"

#include <wm/base/error.hpp>
#include <wm/ops/validate.hpp>

#include <cstdio>
#include <memory>

namespace wm::cli {

namespace {

struct ValidateOptions {
    std::string file_flag;
    std::string file_arg;
};

void run_validate(Context& ctx, const ValidateOptions& opts) {
    if (!opts.file_arg.empty() && !opts.file_flag.empty()) {
        throw usage_error("give the manifest either as FILE or with -f, not both");
    }
    auto path = ctx.manifest_path(opts.file_arg.empty() ? opts.file_flag : opts.file_arg);
    ops::Validation result = ops::validate_manifest(path, ctx.state_dir());
    if (ctx.options.json) {
        ctx.print_json(result.to_json());
    } else if (result.check.manifest) {
        ctx.print(result.text());
    } else {
        std::fputs(result.text().c_str(), stderr);
    }
    result.require_valid();
}

struct ShowOptions {
    std::string file;
    std::string environment; ///< empty: the manifest's first environment (as wm deploy does)
    std::string region;
};

void run_show(Context& ctx, const ShowOptions& opts) {
    auto view = ops::show_environment(ctx.manifest_path(opts.file), ctx.state_dir(),
                                      opts.environment, opts.region);
    ctx.print(ctx.options.json ? view.json : view.text);
}

void add_validate(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<ValidateOptions>();
    auto* cmd = app.add_subcommand("validate", "Check widemesh.yaml and report every problem");
    cmd->footer("Prints each problem as FILE:LINE:COL: key.path: message and exits 1.\n\n"
                "Examples:\n"
                "  wm validate\n"
                "  wm validate -f deploy/widemesh.yaml --json\n"
                "  wm validate widemesh.example.yaml");
    cmd->add_option("file", opts->file_arg, "Manifest to check (same as -f)");
    cmd->add_option("-f,--file", opts->file_flag, "Manifest to check (default: widemesh.yaml)");
    add_global_flags(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_validate(ctx, *opts); });
}

void add_manifest(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("manifest", "Inspect widemesh.yaml");
    group->require_subcommand(1);
    auto opts = std::make_shared<ShowOptions>();
    auto* show = group->add_subcommand(
        "show", "Print an environment as deploy sees it: overlays applied, defaults filled");
    show->footer("Config is merged environment < stack < region (later wins); region\n"
                 "instance counts replace the services' own.\n\n"
                 "Examples:\n"
                 "  wm manifest show -e production\n"
                 "  wm manifest show -e production --region eu-west --json");
    show->add_option("-e,--environment", opts->environment,
                     "Environment to resolve (default: the first one declared, else production)");
    show->add_option("--region", opts->region, "Only the racks in this region");
    show->add_option("-f,--file", opts->file, "Manifest (default: widemesh.yaml)");
    add_global_flags(*show, ctx);
    show->callback([&ctx, opts] { run_show(ctx, *opts); });
}

} // namespace

void add_validate_command(CLI::App& app, Context& ctx) {
    add_validate(app, ctx);
    add_manifest(app, ctx);
}

} // namespace wm::cli
