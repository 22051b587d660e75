// wm init: write a commented widemesh.yaml for the repository in the current directory.
#include "commands.hpp"

#include <wm/ops/init.hpp>

#include <memory>

namespace wm::cli {

namespace {

void run_init(Context& ctx, bool force) {
    ops::InitResult result = ops::init_manifest(std::filesystem::current_path(), force);
    if (ctx.options.json) {
        ctx.print_json(result.to_json());
    } else {
        ctx.print(result.text());
    }
}

} // namespace

void add_init_command(CLI::App& app, Context& ctx) {
    auto force = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("init", "Write a commented widemesh.yaml for this repository");
    cmd->footer("Detects the language from marker files (package.json, requirements.txt,\n"
                "Gemfile, go.mod, composer.json, pom.xml, index.html, Procfile) and names the\n"
                "app after the directory.\n\n"
                "Examples:\n"
                "  wm init\n"
                "  wm init --force --json");
    cmd->add_flag("--force", *force, "Overwrite an existing widemesh.yaml");
    add_global_flags(*cmd, ctx);
    cmd->callback([&ctx, force] { run_init(ctx, *force); });
}

} // namespace wm::cli
