// wm build [-s STACK] [--ref REF] [--allow-dirty] [-f FILE]: build slugs without deploying.
#include "commands.hpp"

#include <wm/ops/build.hpp>

#include <memory>

namespace wm::cli {

namespace {

struct BuildOptions {
    std::string file;
    std::string stack;
    std::string ref = "HEAD";
    bool allow_dirty = false;
};

void run_build(Context& ctx, const BuildOptions& opts) {
    ops::BuildStacksRequest req{std::filesystem::absolute(ctx.manifest_path(opts.file)), opts.stack,
                                opts.ref, opts.allow_dirty, ctx.state_dir()};
    auto builds = ops::build_stacks(req, ctx.runner(), ctx.reporter(), [&](const auto& built) {
        if (!ctx.options.json) {
            ctx.print(ops::render_built(built));
        }
    });
    if (ctx.options.json) {
        ctx.print_json(ops::to_json(builds));
    }
}

} // namespace

void add_build_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<BuildOptions>();
    auto* cmd = app.add_subcommand("build", "Build slugs of the manifest's stacks (no deploy)");
    cmd->footer("Exports the committed tree of REF at each stack's path, runs its buildpacks\n"
                "under bubblewrap with the source at /app, and writes a reproducible slug\n"
                "<state dir>/slugs/<sha256>.tar.zst. A commit and config already built is\n"
                "reused. Uncommitted changes to tracked files are refused unless --allow-dirty.\n\n"
                "Examples:\n"
                "  wm build\n"
                "  wm build -s backend --ref v1.2.0\n"
                "  wm build -f examples/polyglot/widemesh.yaml --json");
    cmd->add_option("-s,--stack", opts->stack, "Only this stack (default: every stack)");
    cmd->add_option("--ref", opts->ref, "Commit, branch or tag to build")->capture_default_str();
    cmd->add_flag("--allow-dirty", opts->allow_dirty,
                  "Build the working tree even with uncommitted tracked changes");
    cmd->add_option("-f,--file", opts->file, "Manifest (default: widemesh.yaml)");
    add_global_flags(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_build(ctx, *opts); });
}

} // namespace wm::cli
