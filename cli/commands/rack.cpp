// wm rack add|list|remove|status|bootstrap|exec|forget-host: racks and their servers.
#include "commands.hpp"
#include "deploy_support.hpp"

#include <wm/base/error.hpp>
#include <wm/ops/racks.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

namespace wm::cli {

namespace {

/// -f and the connection flags of the commands that connect to servers.
struct RackFlags {
    std::string file;
    ConnectFlags connect;
};

void add_rack_flags(CLI::App* cmd, RackFlags& f) {
    cmd->add_option("-f,--file", f.file, "Manifest declaring racks (default: ./widemesh.yaml)");
    add_connect_flags(cmd, f.connect);
}

ops::RackScope scope_of(const Context& ctx, const std::string& file) {
    return {ctx.state_dir(), ctx.manifest_path(file), !file.empty()};
}

ops::RackConnect connect_of(Context& ctx, const ConnectFlags& f) {
    return {ssh_options(ctx, f), f.parallel};
}

/// Throws "N of M servers failed" when any outcome failed.
void fail_if_any(size_t failed, size_t total, const std::string& what) {
    if (failed > 0) {
        fail("{} of {} servers {}", failed, total, what);
    }
}

void rack_add(Context& ctx, const ops::RackAddRequest& request) {
    auto r = ops::add_rack(ctx.state_dir(), request);
    if (ctx.options.json) {
        ctx.print_json(ops::rack_json(r));
    } else {
        ctx.print(fmt::format("registered rack {} ({} server{})\n", r.name, r.servers.size(),
                              r.servers.size() == 1 ? "" : "s"));
    }
}

void rack_list(Context& ctx, const std::string& file) {
    auto rows = ops::list_racks(scope_of(ctx, file), ctx.reporter());
    if (ctx.options.json) {
        ctx.print_json(ops::to_json(rows));
    } else {
        ctx.print(ops::render_racks(rows));
    }
}

void rack_remove(Context& ctx, const std::string& name) {
    ops::remove_rack(ctx.state_dir(), name);
    if (ctx.options.json) {
        ctx.print_json({{"removed", name}});
        return;
    }
    ctx.print(fmt::format("removed rack {}\n", name));
}

template <class Servers>
void print_status(Context& ctx, const std::string& name, const Servers& s) {
    if (ctx.options.json) {
        ctx.print_json({{"rack", name}, {"servers", ops::to_json(s)}});
    } else {
        ctx.print(ops::render_status(s));
    }
}

void rack_status(Context& ctx, const std::string& name, const RackFlags& f) {
    auto servers =
        ops::rack_status(scope_of(ctx, f.file), name, connect_of(ctx, f.connect), ctx.reporter());
    print_status(ctx, name, servers);
    fail_if_any(ops::unreachable_count(servers), servers.size(), "unreachable");
}

/// `wm rack stop|start local`: the local server's status line afterwards.
void rack_stop_start(Context& ctx, const std::string& name, const std::string& file, bool start) {
    auto scope = scope_of(ctx, file);
    auto servers = std::vector{start ? ops::start_local_rack(scope, name, ctx.reporter())
                                     : ops::stop_local_rack(scope, name, ctx.reporter())};
    print_status(ctx, name, servers);
}

void rack_bootstrap(Context& ctx, const std::string& name, const RackFlags& f) {
    // Bootstrap may install packages for minutes: show per-server progress meanwhile.
    auto outcomes = ops::bootstrap_rack(scope_of(ctx, f.file), name, connect_of(ctx, f.connect),
                                        ctx.runner(), ctx.reporter(), !ctx.options.quiet);
    if (ctx.options.json) {
        ctx.print_json({{"rack", name}, {"servers", ops::to_json(outcomes)}});
    } else {
        ctx.print(ops::render_bootstrap(outcomes));
    }
    fail_if_any(ops::failed_count(outcomes), outcomes.size(), "failed to bootstrap");
}

/// Prints complete lines of one server's stream with its name in front.
class PrefixedLines {
  public:
    PrefixedLines(std::string server, std::FILE* to, std::mutex& mutex)
        : m_prefix(std::move(server) + ": "), m_to(to), m_mutex(mutex) {}
    void add(std::string_view chunk) {
        m_buf.append(chunk);
        for (size_t nl; (nl = m_buf.find('\n')) != std::string::npos; m_buf.erase(0, nl + 1)) {
            emit(m_buf.substr(0, nl));
        }
    }
    void flush() {
        if (!m_buf.empty()) {
            emit(m_buf);
            m_buf.clear();
        }
    }

  private:
    void emit(const std::string& line) {
        std::lock_guard lock(m_mutex);
        std::fprintf(m_to, "%s%s\n", m_prefix.c_str(), line.c_str());
        std::fflush(m_to);
    }
    std::string m_prefix, m_buf;
    std::FILE* m_to;
    std::mutex& m_mutex;
};

/// The output of every server, each line prefixed with the server (stdout and stderr kept).
class ServerStreams {
  public:
    void add(const std::string& server, Stream stream, std::string_view chunk) {
        (stream == Stream::out ? lines(m_out, server, stdout) : lines(m_err, server, stderr))
            .add(chunk);
    }
    void flush() {
        std::lock_guard lock(m_map_mutex);
        for (auto* streams : {&m_out, &m_err}) {
            for (auto& [server, lines] : *streams) {
                lines.flush();
            }
        }
    }
    std::mutex& print_mutex() { return m_print_mutex; }

  private:
    using Streams = std::map<std::string, PrefixedLines>;
    PrefixedLines& lines(Streams& streams, const std::string& server, std::FILE* to) {
        std::lock_guard lock(m_map_mutex);
        return streams.try_emplace(server, server, to, m_print_mutex).first->second;
    }
    std::mutex m_map_mutex, m_print_mutex;
    Streams m_out, m_err;
};

void rack_exec(Context& ctx, const std::string& name, const std::vector<std::string>& argv,
               const RackFlags& f) {
    std::string command = argv.size() == 1 ? argv[0] : shell_join(argv);
    ServerStreams streams;
    ops::ServerOutputFn on_output;
    if (!ctx.options.json) {
        on_output = [&](const std::string& server, Stream s, std::string_view chunk) {
            streams.add(server, s, chunk);
        };
    }
    auto outcomes = ops::exec_on_rack(scope_of(ctx, f.file), name, command,
                                      connect_of(ctx, f.connect), ctx.reporter(), on_output);
    streams.flush();
    if (ctx.options.json) {
        ctx.print_json({{"rack", name}, {"servers", ops::to_json(outcomes)}});
    } else {
        std::lock_guard lock(streams.print_mutex());
        for (const auto& o : outcomes) {
            std::fprintf(stderr, "%s: %s\n", o.server.c_str(), ops::exec_status(o).c_str());
        }
    }
    fail_if_any(ops::failed_count(outcomes), outcomes.size(), "failed");
}

void rack_forget_host(Context& ctx, const std::string& host) {
    ops::ForgottenHost h = ops::forget_host(ctx.state_dir(), host);
    if (ctx.options.json) {
        ctx.print_json({{"host", h.host}, {"removed_keys", h.removed_keys}});
        return;
    }
    ctx.print(fmt::format("removed {} key{} of {} from {}\n", h.removed_keys,
                          h.removed_keys == 1 ? "" : "s", h.host, h.known_hosts.string()));
}

/// `wm rack add`, `list` and `remove`: the registered racks.
void add_registry_commands(CLI::App* group, Context& ctx) {
    auto a = std::make_shared<ops::RackAddRequest>();
    CLI::App* add = group->add_subcommand("add", "Register a rack of servers you already have");
    add->add_option("name", a->name, "Rack name")->required();
    add->add_option("--server", a->servers, "[user@]host[:port], repeatable")->required();
    add->add_option("--region", a->region, "Region label (for environment overrides)");
    add->add_option("--key", a->key, "Private key file for every server");
    add->add_option("--alias-domain", a->alias_domain,
                    "Platform alias domain (<app>-<env>.<domain>)");
    add->footer(
        "Example:\n  wm rack add edge --server root@10.0.0.5 --server 10.0.0.6 --region eu");
    add_global_flags(*add, ctx);
    add->callback([&ctx, a] { rack_add(ctx, *a); });

    auto file = std::make_shared<std::string>();
    CLI::App* list = group->add_subcommand("list", "Racks from the manifest and the state dir");
    list->add_option("-f,--file", *file, "Manifest (default: ./widemesh.yaml)");
    list->footer("Example:\n  wm rack list --json");
    add_global_flags(*list, ctx);
    list->callback([&ctx, file] { rack_list(ctx, *file); });

    auto name = std::make_shared<std::string>();
    CLI::App* remove = group->add_subcommand("remove", "Forget a registered rack");
    remove->add_option("name", *name, "Rack name")->required();
    remove->footer("Example:\n  wm rack remove edge");
    add_global_flags(*remove, ctx);
    remove->callback([&ctx, name] { rack_remove(ctx, *name); });
}

/// `wm rack stop|start local`: the local rack's daemons.
void add_lifecycle_commands(CLI::App* group, Context& ctx) {
    auto name = std::make_shared<std::string>();
    auto file = std::make_shared<std::string>();
    for (bool start : {false, true}) {
        CLI::App* c = group->add_subcommand(
            start ? "start" : "stop",
            start ? "Start the local rack's supervisor and proxy again (what was deployed returns)"
                  : "Stop the local rack: its supervisor, proxy and every instance");
        c->add_option("name", *name, "Rack name (local)")->required();
        c->add_option("-f,--file", *file, "Manifest (default: ./widemesh.yaml)");
        c->footer(start ? "Example:\n  wm rack start local" : "Example:\n  wm rack stop local");
        add_global_flags(*c, ctx);
        c->callback([&ctx, name, file, start] { rack_stop_start(ctx, *name, *file, start); });
    }
}

/// `wm rack status`, `bootstrap` and `exec`: every server of one rack at once.
void add_server_commands(CLI::App* group, Context& ctx) {
    auto name = std::make_shared<std::string>();
    auto f = std::make_shared<RackFlags>();
    CLI::App* status =
        group->add_subcommand("status", "Reachability, OS, disk and tools per server");
    status->add_option("name", *name, "Rack name")->required();
    add_rack_flags(status, *f);
    status->footer("Example:\n  wm rack status edge --json");
    add_global_flags(*status, ctx);
    status->callback([&ctx, name, f] { rack_status(ctx, *name, *f); });

    CLI::App* boot = group->add_subcommand("bootstrap", "Prepare every server (idempotent)");
    boot->add_option("name", *name, "Rack name")->required();
    add_rack_flags(boot, *f);
    boot->footer("Installs missing runit, caddy, bubblewrap and curl (apt-get), creates the\n"
                 "/var/lib/widemesh layout and keeps a runsvdir running over its service/ dir.\n"
                 "Example:\n  wm rack bootstrap edge --accept-new");
    add_global_flags(*boot, ctx);
    boot->callback([&ctx, name, f] { rack_bootstrap(ctx, *name, *f); });

    add_lifecycle_commands(group, ctx);

    auto argv = std::make_shared<std::vector<std::string>>();
    CLI::App* exec = group->add_subcommand("exec", "Run a command on every server of a rack");
    exec->add_option("name", *name, "Rack name")->required();
    exec->add_option("command", *argv, "Command (after --)")->required();
    add_rack_flags(exec, *f);
    exec->footer("Output lines are prefixed with the server; exit 1 if any server failed.\n"
                 "Example:\n  wm rack exec edge -- df -h /");
    add_global_flags(*exec, ctx);
    exec->callback([&ctx, name, argv, f] { rack_exec(ctx, *name, *argv, *f); });
}

} // namespace

void add_rack_command(CLI::App& app, Context& ctx) {
    CLI::App* group = app.add_subcommand("rack", "Register, inspect and prepare racks of servers");
    group->require_subcommand(1);
    group->footer("Examples:\n  wm rack add edge --server root@10.0.0.5 --server 10.0.0.6:2222\n"
                  "  wm rack status edge\n  wm rack bootstrap edge\n  wm rack exec edge -- uptime\n"
                  "  wm rack stop local\n  wm rack start local");
    add_registry_commands(group, ctx);
    add_server_commands(group, ctx);

    auto host = std::make_shared<std::string>();
    CLI::App* forget =
        group->add_subcommand("forget-host", "Drop a host's key from wm's known_hosts");
    forget->add_option("host", *host, "host, host:port or [host]:port")->required();
    forget->footer("Use after a server was reinstalled.\nExample:\n  wm rack forget-host 10.0.0.5");
    add_global_flags(*forget, ctx);
    forget->callback([&ctx, host] { rack_forget_host(ctx, *host); });
}

} // namespace wm::cli
