// wm hook install|uninstall: the git pre-push hook that deploys the pushed commit.
#include "commands.hpp"

#include <wm/ops/hook.hpp>

#include <fmt/format.h>

#include <memory>

namespace wm::cli {

namespace {

// Where this wm binary is, for a hook run where `wm` is not on PATH (git GUIs, cron).
std::string own_path() {
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("wm") : exe.string();
}

struct HookFlags {
    ops::HookSpec spec;
    bool force = false;
};

void run_install(Context& ctx, HookFlags& f) {
    f.spec.wm_path = own_path();
    ops::HookInstallResult r =
        ops::install_pre_push_hook(std::filesystem::current_path(), f.spec, f.force);
    if (ctx.options.json) {
        ctx.print_json({{"hook", r.path.string()},
                        {"branch", f.spec.branch},
                        {"environment", f.spec.environment},
                        {"backup", r.backup.empty() ? "" : r.backup.string()}});
        return;
    }
    std::string env = f.spec.environment.empty() ? "the default environment" : f.spec.environment;
    ctx.print(fmt::format("installed {}: a push to {} deploys the pushed commit to {}\n",
                          r.path.string(), f.spec.branch, env));
    if (!r.backup.empty()) {
        ctx.print(fmt::format("moved the previous hook to {}\n", r.backup.string()));
    }
}

void run_uninstall(Context& ctx) {
    std::filesystem::path removed = ops::uninstall_pre_push_hook(std::filesystem::current_path());
    if (ctx.options.json) {
        ctx.print_json({{"removed", removed.string()}});
        return;
    }
    ctx.print(fmt::format("removed {}\n", removed.string()));
}

} // namespace

void add_hook_command(CLI::App& app, Context& ctx) {
    auto* hook = app.add_subcommand("hook", "Deploy from git: a pre-push hook");
    hook->require_subcommand(1);
    auto flags = std::make_shared<HookFlags>();
    auto* install = hook->add_subcommand(
        "install", "Install a pre-push hook that deploys the pushed commit before the push");
    install->footer("The hook deploys exactly the commit pushed to the branch (not HEAD), waits\n"
                    "for the deploy lease, never asks questions, and fails the push when the\n"
                    "deploy fails. An existing hook is kept unless --force (then it is moved to\n"
                    "pre-push.before-wm).\n\n"
                    "Examples:\n  wm hook install -e production --branch main\n"
                    "  git push --no-verify    # push without deploying");
    install->add_option("-e,--environment", flags->spec.environment,
                        "Environment to deploy (default: the manifest's first)");
    install->add_option("--branch", flags->spec.branch, "Branch whose pushes deploy")
        ->capture_default_str();
    install->add_option("--wait", flags->spec.wait, "How long a deploy queues for the lease")
        ->capture_default_str();
    install->add_flag("--force", flags->force, "Move a hook wm did not write aside");
    add_global_flags(*install, ctx);
    install->callback([&ctx, flags] { run_install(ctx, *flags); });
    auto* uninstall = hook->add_subcommand("uninstall", "Remove wm's pre-push hook");
    add_global_flags(*uninstall, ctx);
    uninstall->callback([&ctx] { run_uninstall(ctx); });
}

} // namespace wm::cli
