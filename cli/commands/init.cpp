// wm init: write a commented widemesh.yaml for the repository in the current directory.
#include "commands.hpp"

#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/manifest/scaffold.hpp>

#include <fmt/format.h>

#include <memory>

namespace wm::cli {

namespace {

void run_init(Context& ctx, bool force) {
    auto dir = std::filesystem::current_path();
    auto target = dir / "widemesh.yaml";
    bool existed = std::filesystem::exists(target);
    if (existed && !force) {
        throw Error("widemesh.yaml already exists; not overwriting it")
            .with_hint("wm init --force replaces it; wm validate checks the one you have");
    }
    auto facts = manifest::inspect_repository(dir);
    fs::write_file_atomic(target, manifest::render_scaffold(facts));
    if (ctx.options.json) {
        ctx.print_json({{"file", "widemesh.yaml"},
                        {"app", facts.app},
                        {"buildpack", facts.buildpack},
                        {"marker", facts.marker},
                        {"procfile", facts.procfile},
                        {"overwritten", existed}});
        return;
    }
    std::string detected = facts.buildpack.empty()
                               ? "no language detected"
                               : fmt::format("detected {} from {}", facts.buildpack, facts.marker);
    ctx.print(fmt::format("{} widemesh.yaml for app {} ({})\nnext: wm validate, then wm deploy\n",
                          existed ? "overwrote" : "wrote", facts.app, detected));
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
