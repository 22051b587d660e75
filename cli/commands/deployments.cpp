// wm deployments list|show, wm services list (alias wm ps), wm lock status|release.
#include "commands.hpp"
#include "deploy_support.hpp"

#include <wm/ops/inspect.hpp>
#include <wm/ops/scale.hpp>

#include <fmt/format.h>

#include <memory>

namespace wm::cli {

namespace {

std::string uptime_text(int seconds) {
    if (seconds < 120) {
        return fmt::format("{}s", seconds);
    }
    if (seconds < 7200) {
        return fmt::format("{}m", seconds / 60);
    }
    return fmt::format("{}h", seconds / 3600);
}

void list_deployments(Context& ctx, const TargetFlags& flags) {
    ops::RealServices services(services_config(ctx, flags), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::DeployPlan plan = ops::plan_for(target_of(ctx, flags));
    auto server = ops::connect_first(plan, services.env());
    std::vector<ops::DeploymentView> views = ops::list_deployments(plan, *server);
    if (ctx.options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& v : views) {
            nlohmann::json j = to_json(v.record);
            j["current"] = v.current;
            out.push_back(j);
        }
        ctx.print_json(out);
        return;
    }
    std::vector<std::vector<std::string>> rows{
        {"", "VERSION", "STACK", "STATUS", "COMMIT", "WHO", "STARTED", "SUBJECT"}};
    for (const auto& [r, current, log] : views) {
        rows.push_back({current ? "*" : "", fmt::format("v{}", r.version), r.stack, r.status,
                        r.short_commit, r.who, r.started,
                        r.description.empty() ? r.subject : r.description});
    }
    ctx.print(views.empty() ? fmt::format("no deployments of {} yet\n", plan.environment)
                            : render_table(rows));
}

void show_deployment(Context& ctx, const TargetFlags& flags, const std::string& version) {
    ops::RealServices services(services_config(ctx, flags), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::DeployPlan plan = ops::plan_for(target_of(ctx, flags));
    int v = ops::parse_version(version);
    auto server = ops::connect_first(plan, services.env());
    ops::DeploymentView view = ops::show_deployment(plan, *server, flags.stack, v);
    const Deployment& r = view.record;
    if (ctx.options.json) {
        nlohmann::json j = to_json(r);
        j["log"] = view.log;
        ctx.print_json(j);
        return;
    }
    std::string text = fmt::format(
        "deployment v{} of {} {}: {}\ncommit  {} {}\nby      {}\nstarted {}\nended   {}\n",
        r.version, r.environment, r.stack, r.status, r.commit, r.subject, r.who, r.started,
        r.finished);
    if (!r.description.empty()) {
        text += "what    " + r.description + "\n";
    }
    if (!r.error.empty()) {
        text += "error   " + r.error + "\n";
    }
    ctx.print(text + "\n" + view.log);
}

void add_deployments(CLI::App& app, Context& ctx) {
    CLI::App* group = app.add_subcommand("deployments", "List deployments and show their output");
    group->require_subcommand(1);
    group->footer("Examples:\n  wm deployments list -e production\n  wm deployments show v3");
    auto flags = std::make_shared<TargetFlags>();
    CLI::App* list = group->add_subcommand("list", "Every recorded deployment (* = running)");
    add_target_flags(list, *flags);
    add_global_flags(*list, ctx);
    list->callback([&ctx, flags] { list_deployments(ctx, *flags); });

    auto show_flags = std::make_shared<TargetFlags>();
    auto version = std::make_shared<std::string>();
    CLI::App* show = group->add_subcommand("show", "A deployment's record and stored output");
    show->add_option("version", *version, "e.g. v3")->required();
    add_target_flags(show, *show_flags);
    add_global_flags(*show, ctx);
    show->callback([&ctx, show_flags, version] { show_deployment(ctx, *show_flags, *version); });
}

const ops::ServiceCount* count_of(const std::vector<ops::ServiceCount>& counts,
                                  const rack::Instance& i) {
    for (const auto& c : counts) {
        if (c.stack == i.stack && c.service == i.service) {
            return &c;
        }
    }
    return nullptr;
}

/// `wm ps --json`: one object per instance (with its service's count per server and where that
/// count comes from), and one per server that did not answer.
nlohmann::json services_json(const std::vector<ops::ServerRead<ops::InstanceList>>& reads,
                             const std::vector<ops::ServiceCount>& counts) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : reads) {
        if (!r.ok()) {
            out.push_back(
                {{"server", r.server}, {"state", "unreachable"}, {"error", r.error->describe()}});
            continue;
        }
        for (const auto& i : *r.value) {
            out.push_back({{"server", r.server},
                           {"name", i.name},
                           {"stack", i.stack},
                           {"service", i.service},
                           {"version", i.version},
                           {"port", i.port},
                           {"state", i.state},
                           {"uptime_seconds", i.uptime_seconds},
                           {"restarts", i.restarts}});
            if (const ops::ServiceCount* c = count_of(counts, i)) {
                out.back()["count"] = c->instances;
                out.back()["count_origin"] = c->origin;
            }
        }
    }
    return out;
}

/// The `wm ps` table; a server that did not answer is a row in state "unreachable".
std::string services_table(const std::vector<ops::ServerRead<ops::InstanceList>>& reads) {
    std::vector<std::vector<std::string>> rows{
        {"SERVER", "INSTANCE", "VERSION", "PORT", "STATE", "UPTIME", "RESTARTS"}};
    for (const auto& r : reads) {
        if (!r.ok()) {
            rows.push_back({r.server, "-", "-", "-", "unreachable", "-", "-"});
            continue;
        }
        for (const auto& i : *r.value) {
            rows.push_back({r.server, i.name, fmt::format("v{}", i.version),
                            i.port > 0 ? std::to_string(i.port) : "-", i.state,
                            uptime_text(i.uptime_seconds), std::to_string(i.restarts)});
        }
    }
    return rows.size() == 1 ? "" : render_table(rows);
}

/// "stack web: web x3 per server (wm scale (manifest: 1))" lines under the `wm ps` table.
std::string counts_text(const std::vector<ops::ServiceCount>& counts) {
    std::string text;
    for (const auto& c : counts) {
        text += fmt::format("stack {}: {} x{} per server ({})\n", c.stack, c.service, c.instances,
                            c.origin);
    }
    return text;
}

/// Warns about each server that did not answer; exit 1 (after printing) when any did not.
template <typename T>
void fail_if_unreachable(Context& ctx, const std::vector<ops::ServerRead<T>>& reads) {
    for (const auto& r : reads) {
        if (!r.ok()) {
            ctx.reporter().warn(r.error->describe());
        }
    }
    if (size_t n = ops::unreachable_count(reads)) {
        fail("{} of {} servers did not answer; the others are shown", n, reads.size());
    }
}

void list_services(Context& ctx, const TargetFlags& flags) {
    ops::RealServices services(services_config(ctx, flags), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::DeployPlan plan = ops::plan_for(target_of(ctx, flags));
    auto reads = ops::list_services(plan, services.env());
    std::vector<ops::ServiceCount> counts = ops::service_counts(plan, services.env());
    if (ctx.options.json) {
        ctx.print_json(services_json(reads, counts));
    } else {
        std::string table = services_table(reads);
        ctx.print(table.empty() ? fmt::format("nothing runs in {}\n", plan.environment)
                                : table + counts_text(counts));
    }
    fail_if_unreachable(ctx, reads);
}

void add_services(CLI::App& app, Context& ctx) {
    auto flags = std::make_shared<TargetFlags>();
    CLI::App* group = app.add_subcommand("services", "The instances of an environment");
    group->require_subcommand(1);
    CLI::App* list = group->add_subcommand(
        "list", "Every instance with server, port, state, uptime and restarts");
    list->footer("Example:\n  wm services list -e production   # same as: wm ps");
    add_target_flags(list, *flags);
    add_global_flags(*list, ctx);
    list->callback([&ctx, flags] { list_services(ctx, *flags); });

    auto ps_flags = std::make_shared<TargetFlags>();
    CLI::App* ps = app.add_subcommand("ps", "Alias of `wm services list`");
    ps->footer("Example:\n  wm ps -e staging");
    add_target_flags(ps, *ps_flags);
    add_global_flags(*ps, ctx);
    ps->callback([&ctx, ps_flags] { list_services(ctx, *ps_flags); });
}

void lock_status(Context& ctx, const TargetFlags& flags) {
    ops::RealServices services(services_config(ctx, flags), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::DeployPlan plan = ops::plan_for(target_of(ctx, flags));
    auto reads = ops::lock_status(plan, services.env());
    nlohmann::json out = nlohmann::json::array();
    std::vector<std::vector<std::string>> rows{
        {"SERVER", "HOLDER", "PID", "SINCE", "EXPIRES", "WHAT"}};
    for (const auto& r : reads) {
        if (!r.ok()) {
            out.push_back(
                {{"server", r.server}, {"lease", nullptr}, {"error", r.error->describe()}});
            rows.push_back({r.server, "(unreachable)", "", "", "", ""});
            continue;
        }
        const auto& lease = *r.value;
        out.push_back({{"server", r.server}, {"lease", ops::to_json(lease)}});
        rows.push_back(lease ? std::vector<std::string>{r.server, lease->holder,
                                                        std::to_string(lease->pid), lease->started,
                                                        lease->expires, lease->what}
                             : std::vector<std::string>{r.server, "(free)", "", "", "", ""});
    }
    if (ctx.options.json) {
        ctx.print_json(out);
    } else {
        ctx.print(render_table(rows));
    }
    fail_if_unreachable(ctx, reads);
}

void add_lock(CLI::App& app, Context& ctx) {
    CLI::App* group = app.add_subcommand("lock", "The environment's deploy lease");
    group->require_subcommand(1);
    group->footer("Examples:\n  wm lock status -e production\n  wm lock release -e production");
    auto flags = std::make_shared<TargetFlags>();
    CLI::App* status = group->add_subcommand("status", "Who holds the deploy lease, per server");
    add_target_flags(status, *flags);
    add_global_flags(*status, ctx);
    status->callback([&ctx, flags] { lock_status(ctx, *flags); });

    auto release_flags = std::make_shared<TargetFlags>();
    auto force = std::make_shared<bool>(false);
    CLI::App* release = group->add_subcommand(
        "release", "Remove the deploy lease on every server (a live deploy's only with --force; "
                   "a dead holder's lease expires by itself)");
    add_target_flags(release, *release_flags);
    release->add_flag("--force", *force, "Also remove a lease whose deploy still runs");
    add_global_flags(*release, ctx);
    release->callback([&ctx, release_flags, force] {
        ops::RealServices services(services_config(ctx, *release_flags), ctx.reporter(),
                                   ctx.runner(), ctx.clock());
        ops::DeployPlan plan = ops::plan_for(target_of(ctx, *release_flags));
        ops::lock_release(plan, services.env(), *force);
        ctx.print(fmt::format("released {}'s deploy lease\n", plan.environment));
    });
}

} // namespace

void add_deployments_command(CLI::App& app, Context& ctx) {
    add_deployments(app, ctx);
    add_services(app, ctx);
    add_lock(app, ctx);
}

} // namespace wm::cli
