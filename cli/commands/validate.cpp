// wm validate, wm manifest show: check widemesh.yaml and show what an environment resolves to.
#include "commands.hpp"

#include <wm/base/error.hpp>
#include <wm/manifest/load.hpp>
#include <wm/manifest/render.hpp>
#include <wm/manifest/resolve.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/state/racks.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace wm::cli {

namespace {

/// Racks registered with `wm rack add`, which environments may name (reads only).
manifest::LoadOptions load_options(const Context& ctx) {
    return rack::registered_racks(state::Store(ctx.state_dir()));
}

struct ValidateOptions {
    std::string file_flag;
    std::string file_arg;
};

nlohmann::json problem_json(const manifest::Problem& p) {
    return {{"file", p.file},
            {"line", p.line},
            {"column", p.column},
            {"key_path", p.key_path},
            {"message", p.message}};
}

void run_validate(Context& ctx, const ValidateOptions& opts) {
    if (!opts.file_arg.empty() && !opts.file_flag.empty()) {
        throw usage_error("give the manifest either as FILE or with -f, not both");
    }
    auto path = ctx.manifest_path(opts.file_arg.empty() ? opts.file_flag : opts.file_arg);
    auto result = manifest::check_file(path, load_options(ctx));
    if (ctx.options.json) {
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : result.problems) {
            problems.push_back(problem_json(p));
        }
        nlohmann::json doc = {
            {"file", path.string()}, {"valid", result.problems.empty()}, {"problems", problems}};
        if (result.manifest) {
            doc["summary"] = manifest::summary(*result.manifest);
        }
        ctx.print_json(doc);
    } else if (result.manifest) {
        ctx.print(fmt::format("{}: ok ({})\n", path.string(), manifest::summary(*result.manifest)));
    } else {
        for (const auto& p : result.problems) {
            std::fprintf(stderr, "%s\n", p.format().c_str());
        }
    }
    if (!result.manifest) {
        std::size_t n = result.problems.size();
        fail("{} is invalid ({} problem{})", path.string(), n, n == 1 ? "" : "s");
    }
}

struct ShowOptions {
    std::string file;
    std::string environment; ///< empty: the manifest's first environment (as wm deploy does)
    std::string region;
};

void run_show(Context& ctx, const ShowOptions& opts) {
    auto m = manifest::load_file(ctx.manifest_path(opts.file), load_options(ctx));
    std::string env = opts.environment.empty() ? m.environments.front().name : opts.environment;
    auto resolved = manifest::resolve(m, env, opts.region);
    if (ctx.options.json) {
        ctx.print(manifest::to_json(resolved).dump() + "\n");
    } else {
        ctx.print(manifest::to_yaml_text(resolved));
    }
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
