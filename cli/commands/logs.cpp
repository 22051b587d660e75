// wm logs, wm run: an environment's merged logs, and one-off commands of its current release.
#include "commands.hpp"
#include "deploy_support.hpp"

#include <wm/base/process.hpp>
#include <wm/ops/logs.hpp>
#include <wm/ops/run.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace wm::cli {

namespace {

struct LogsFlags {
    TargetFlags target;
    std::string service;
    std::string since = "1m";
    bool follow = false;
};

void show_logs(Context& ctx, const LogsFlags& f) {
    ops::RealServices services(services_config(ctx, f.target), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::DeployPlan plan = ops::plan_for(target_of(ctx, f.target));
    ops::LogsRequest request{f.service, parse_duration(f.since), f.follow};
    auto errors = ops::read_logs(plan, services.env(), request, [&](const rack::LogLine& line) {
        if (ctx.options.json) {
            ctx.print_json(ops::log_line_json(line));
        } else {
            ctx.print(ops::format_log_line(line) + "\n");
        }
        std::fflush(stdout); // a follower piped into grep sees each line as it comes
    });
    if (!errors.empty()) {
        fail("{} of {} servers did not answer; the others are shown", errors.size(),
             plan.servers().size());
    }
}

void add_logs(CLI::App& app, Context& ctx) {
    auto f = std::make_shared<LogsFlags>();
    CLI::App* cmd = app.add_subcommand(
        "logs", "Every instance's log on every server, merged in time order, with deploy events");
    cmd->footer("Each line: TIME SERVICE INSTANCE SERVER | TEXT\nExamples:\n"
                "  wm logs -e production --since 15m\n  wm logs --service web -f");
    add_target_flags(cmd, f->target, false);
    cmd->add_option("--service", f->service, "Only this service's instances (no events)");
    cmd->add_option("--since", f->since, "How far back: 30s, 15m, 1h (default 1m)")
        ->type_name("DURATION");
    cmd->add_flag("-f,--follow", f->follow, "Keep printing new lines (Ctrl-C stops)");
    add_global_flags(*cmd, ctx);
    cmd->callback([&ctx, f] { show_logs(ctx, *f); });
}

struct RunFlags {
    TargetFlags target;
    std::string server;
    std::vector<std::string> command;
};

void run_oneoff(Context& ctx, const RunFlags& f) {
    ops::RealServices services(services_config(ctx, f.target), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::DeployPlan plan = ops::plan_for(target_of(ctx, f.target));
    ops::RunRequest request;
    request.server = f.server;
    // One word: shell text as written (`wm run -- 'rake db:migrate && echo ok'`); several: argv.
    request.command = f.command.size() == 1 ? f.command.front() : shell_join(f.command);
    request.on_output = [](Stream stream, std::string_view chunk) {
        std::FILE* to = stream == Stream::out ? stdout : stderr;
        std::fwrite(chunk.data(), 1, chunk.size(), to);
        std::fflush(to);
    };
    ops::RunOutcome outcome = ops::run_command(plan, services.env(), request);
    if (ctx.options.json) {
        ctx.print_json({{"server", outcome.server},
                        {"stack", outcome.stack},
                        {"version", outcome.version},
                        {"exit_code", outcome.exit_code}});
    }
    ctx.exit_status = outcome.exit_code;
}

void add_run(CLI::App& app, Context& ctx) {
    auto f = std::make_shared<RunFlags>();
    CLI::App* cmd = app.add_subcommand(
        "run", "Run a command in a fresh sandbox of the current release, with its config; wm "
               "exits with its exit code");
    cmd->footer("Examples:\n  wm run -e production -- rake db:migrate\n"
                "  wm run --server wmt2 -- sh -c 'echo $DATABASE_URL'");
    add_target_flags(cmd, f->target);
    cmd->add_option("--server", f->server, "Run on this server (default: the first that answers)");
    cmd->add_option("command", f->command, "The command and its arguments, after --")->required();
    add_global_flags(*cmd, ctx);
    cmd->callback([&ctx, f] { run_oneoff(ctx, *f); });
}

} // namespace

void add_logs_command(CLI::App& app, Context& ctx) {
    add_logs(app, ctx);
    add_run(app, ctx);
}

} // namespace wm::cli
