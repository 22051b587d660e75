// wm deploy, wm plan, wm rollback.
#include "commands.hpp"
#include "deploy_support.hpp"

#include <wm/ops/deploy.hpp>
#include <wm/ops/rollback.hpp>

#include <fmt/format.h>

#include <memory>

namespace wm::cli {

namespace {

struct DeployFlags {
    TargetFlags target;
    std::string ref = "HEAD";
    bool allow_dirty = false;
    WaitFlag wait;
    bool dry_run = false;
    std::string build;
};

void print_plan(Context& ctx, const ops::DeployResult& result) {
    if (ctx.options.json) {
        ctx.print_json(result.to_json());
        return;
    }
    std::string text;
    for (const auto& line : result.plan) {
        text += line + "\n";
    }
    ctx.print(text);
}

void print_deployed(Context& ctx, const ops::DeployResult& result) {
    if (ctx.options.json) {
        ctx.print_json(result.to_json());
        return;
    }
    std::string text;
    for (const auto& s : result.stacks) {
        text += fmt::format("{} {} v{} ({}) to {}\n", s.unchanged ? "Already deployed" : "Deployed",
                            s.stack, s.version, s.commit.substr(0, 7), result.environment);
    }
    for (const auto& url : result.urls) {
        text += "  " + url + "\n";
    }
    ctx.print(text);
}

void run_deploy(Context& ctx, const DeployFlags& f) {
    ops::Target target = target_of(ctx, f.target);
    ops::DeployRequest req{target.manifest_path,
                           target.manifest_path.parent_path(),
                           target.environment,
                           target.stack,
                           f.ref,
                           f.allow_dirty,
                           wait_of(f.wait),
                           f.dry_run,
                           "",
                           f.build};
    ops::RealServices services(services_config(ctx, f.target), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::DeployResult result = ops::deploy(req, services.env());
    if (f.dry_run) {
        print_plan(ctx, result);
    } else {
        print_deployed(ctx, result);
    }
}

void add_deploy(CLI::App& app, Context& ctx) {
    auto flags = std::make_shared<DeployFlags>();
    CLI::App* cmd = app.add_subcommand(
        "deploy", "Build the committed source and roll it out to every server of an environment "
                  "with zero downtime");
    cmd->footer("Examples:\n  wm deploy                      # HEAD to the first environment "
                "(the local rack by default)\n  wm deploy -e staging --ref v1.2 --wait=5m\n"
                "  wm deploy --dry-run            # print the steps per server, change nothing");
    add_target_flags(cmd, flags->target);
    cmd->add_option("--ref", flags->ref, "Git commit, branch or tag to deploy (default HEAD)");
    cmd->add_flag("--allow-dirty", flags->allow_dirty,
                  "Deploy even with uncommitted changes (the commit is still what is built)");
    add_wait_flag(cmd, flags->wait);
    cmd->add_option("--build", flags->build,
                    "Where to build: rack (a server of the environment: the first one, or the "
                    "manifest's build: server NAME) or local (this machine, with its own "
                    "bubblewrap and language tools); default: the manifest's build:, else rack")
        ->type_name("WHERE");
    cmd->add_flag("--dry-run", flags->dry_run, "Print the plan per server without doing it");
    add_global_flags(*cmd, ctx);
    cmd->callback([&ctx, flags] { run_deploy(ctx, *flags); });

    auto plan_flags = std::make_shared<DeployFlags>();
    CLI::App* plan = app.add_subcommand("plan", "Show what `wm deploy` would do, per server");
    plan->footer("Example:\n  wm plan -e production");
    add_target_flags(plan, plan_flags->target);
    plan->add_option("--ref", plan_flags->ref, "Git commit, branch or tag (default HEAD)");
    add_global_flags(*plan, ctx);
    plan->callback([&ctx, plan_flags] {
        plan_flags->dry_run = true;
        run_deploy(ctx, *plan_flags);
    });
}

void run_rollback(Context& ctx, const DeployFlags& f, const std::string& version) {
    ops::RollbackRequest req{target_of(ctx, f.target), std::nullopt, wait_of(f.wait)};
    if (!version.empty()) {
        req.version = ops::parse_version(version);
    }
    ops::RealServices services(services_config(ctx, f.target), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::RollbackResult r = ops::rollback(req, services.env());
    if (ctx.options.json) {
        ctx.print_json(r.to_json());
        return;
    }
    std::string text =
        fmt::format("Rolled {} {} back from v{} to v{}\n", r.environment, r.stack, r.from, r.to);
    for (const auto& url : r.urls) {
        text += "  " + url + "\n";
    }
    ctx.print(text);
}

void add_rollback(CLI::App& app, Context& ctx) {
    auto flags = std::make_shared<DeployFlags>();
    auto version = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "rollback", "Re-activate an earlier release (default: the previous one), no rebuild");
    cmd->footer("Examples:\n  wm rollback            # back to the previous succeeded deployment\n"
                "  wm rollback v3 -e staging");
    cmd->add_option("version", *version, "Deployment to re-activate, e.g. v3");
    add_target_flags(cmd, flags->target);
    add_wait_flag(cmd, flags->wait);
    add_global_flags(*cmd, ctx);
    cmd->callback([&ctx, flags, version] { run_rollback(ctx, *flags, *version); });
}

} // namespace

void add_deploy_command(CLI::App& app, Context& ctx) {
    add_deploy(app, ctx);
    add_rollback(app, ctx);
}

} // namespace wm::cli
