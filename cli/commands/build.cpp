// wm build [-s STACK] [--ref REF] [--allow-dirty] [-f FILE]: build slugs without deploying.
#include "commands.hpp"

#include <wm/base/error.hpp>
#include <wm/build/build.hpp>
#include <wm/manifest/load.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/state/store.hpp>

#include <fmt/format.h>

#include <memory>

namespace wm::cli {

namespace {

struct BuildOptions {
    std::string file;
    std::string stack;
    std::string ref = "HEAD";
    bool allow_dirty = false;
};

std::vector<manifest::StackSpec> chosen_stacks(const manifest::Manifest& m,
                                               const std::string& name) {
    if (name.empty()) {
        return m.stacks;
    }
    const manifest::StackSpec* stack = m.find_stack(name);
    if (stack == nullptr) {
        std::string known;
        for (const auto& s : m.stacks) {
            known += (known.empty() ? "" : ", ") + s.name;
        }
        throw usage_error(
            fmt::format("unknown stack '{}' in {} (stacks: {})", name, m.file, known));
    }
    return {*stack};
}

std::string result_line(const build::BuildResult& r, const std::string& stack) {
    return fmt::format("{} {}{}: {}\n  sha256 {}\n", stack, r.source.short_commit,
                       r.source.dirty ? " (dirty)" : "", r.slug_path.string(), r.sha256) +
           (r.reused ? "  reused: same commit and config already built\n" : "");
}

void run_build(Context& ctx, const BuildOptions& opts) {
    auto path = std::filesystem::absolute(ctx.manifest_path(opts.file));
    manifest::Manifest m = rack::load_manifest(path, state::Store(ctx.state_dir()));
    nlohmann::json builds = nlohmann::json::array();
    for (const manifest::StackSpec& stack : chosen_stacks(m, opts.stack)) {
        build::BuildRequest req;
        req.repo_dir = path.parent_path();
        req.stack = stack;
        req.ref = opts.ref;
        req.allow_dirty = opts.allow_dirty;
        req.state_dir = ctx.state_dir();
        build::BuildResult r = build::build_stack(req, ctx.runner(), ctx.reporter());
        builds.push_back({{"stack", stack.name},
                          {"slug", r.slug_path.string()},
                          {"sha256", r.sha256},
                          {"reused", r.reused},
                          {"release", r.release_json}});
        if (!ctx.options.json) {
            ctx.print(result_line(r, stack.name));
        }
    }
    if (ctx.options.json) {
        ctx.print_json({{"event", "result"}, {"builds", builds}});
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
