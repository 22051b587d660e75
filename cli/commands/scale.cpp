// wm scale, wm restart: new instance sets of the running release, no new release.
#include "commands.hpp"
#include "deploy_support.hpp"

#include <wm/ops/scale.hpp>

#include <fmt/format.h>

#include <memory>

namespace wm::cli {

namespace {

struct RollFlags {
    TargetFlags target;
    WaitFlag wait;
    std::vector<std::string> counts; ///< SERVICE=COUNT
    std::string service;
};

std::string rolled_text(const std::string& verb, const ops::Rolled& r) {
    std::vector<std::string> parts;
    for (const auto& [service, n] : r.counts) {
        parts.push_back(fmt::format("{}={}", service, n));
    }
    return fmt::format("{} {} v{}: {} (instances per server)\n", verb, r.stack, r.version,
                       fmt::join(parts, " "));
}

void run_scale(Context& ctx, const RollFlags& f) {
    ops::ScaleRequest req{target_of(ctx, f.target), {}, wait_of(f.wait)};
    for (const auto& text : f.counts) {
        req.counts.insert(ops::parse_count(text));
    }
    ops::RealServices services(services_config(ctx, f.target), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::Rolled r = ops::scale(req, services.env());
    if (ctx.options.json) {
        nlohmann::json j = r.to_json();
        j["event"] = "result";
        ctx.print_json(j);
    } else {
        ctx.print(rolled_text("Scaled", r));
    }
}

void run_restart(Context& ctx, const RollFlags& f) {
    ops::RealServices services(services_config(ctx, f.target), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    std::vector<ops::Rolled> rolled =
        ops::restart({target_of(ctx, f.target), f.service, wait_of(f.wait)}, services.env());
    if (ctx.options.json) {
        nlohmann::json stacks = nlohmann::json::array();
        for (const auto& r : rolled) {
            stacks.push_back(r.to_json());
        }
        ctx.print_json({{"event", "result"}, {"stacks", stacks}});
        return;
    }
    std::string text;
    for (const auto& r : rolled) {
        text += rolled_text("Restarted", r);
    }
    ctx.print(text);
}

} // namespace

void add_scale_command(CLI::App& app, Context& ctx) {
    auto flags = std::make_shared<RollFlags>();
    CLI::App* scale = app.add_subcommand(
        "scale", "Change instance counts with no rebuild and zero downtime (kept across "
                 "deploys until widemesh.yaml changes that count)");
    scale->footer("Examples:\n  wm scale web=3 worker=0 -e production\n  wm scale -s api web=2");
    scale->add_option("counts", flags->counts, "SERVICE=COUNT ...")->required();
    add_target_flags(scale, flags->target);
    add_wait_flag(scale, flags->wait);
    add_global_flags(*scale, ctx);
    scale->callback([&ctx, flags] { run_scale(ctx, *flags); });

    auto restart_flags = std::make_shared<RollFlags>();
    CLI::App* restart = app.add_subcommand(
        "restart", "Replace the running instances with fresh ones of the same release");
    restart->footer("Examples:\n  wm restart -e production\n  wm restart --service worker");
    restart->add_option("--service", restart_flags->service, "Only this service");
    add_target_flags(restart, restart_flags->target);
    add_wait_flag(restart, restart_flags->wait);
    add_global_flags(*restart, ctx);
    restart->callback([&ctx, restart_flags] { run_restart(ctx, *restart_flags); });
}

} // namespace wm::cli
