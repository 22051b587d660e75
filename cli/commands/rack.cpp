// wm rack add|list|remove|status|bootstrap|exec|forget-host: racks and their servers.
#include "commands.hpp"

#include <wm/base/error.hpp>
#include <wm/build/run_packages.hpp>
#include <wm/manifest/load.hpp>
#include <wm/rack/bootstrap.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/rack/status.hpp>
#include <wm/transport/known_hosts.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <mutex>

#include <unistd.h>

namespace wm::cli {

namespace {

/// Flags shared by the commands that connect to servers.
struct ConnectFlags {
    std::string file;
    bool accept_new = false;
    int parallel = 8;
    int connect_timeout = 10;
};

void add_connect_flags(CLI::App* cmd, ConnectFlags& f) {
    cmd->add_option("-f,--file", f.file, "Manifest declaring racks (default: ./widemesh.yaml)");
    cmd->add_flag("--accept-new", f.accept_new,
                  "Record unknown host keys (first contact) without a terminal");
    cmd->add_option("--parallel", f.parallel, "Servers worked on at once")
        ->default_val(8)
        ->check(CLI::Range(1, 256));
    cmd->add_option("--connect-timeout", f.connect_timeout, "Seconds to reach each server")
        ->default_val(10)
        ->check(CLI::Range(1, 600));
}

/// The manifest if one exists at -f / ./widemesh.yaml (racks can live outside any repo).
std::optional<manifest::Manifest> maybe_manifest(const Context& ctx, const std::string& file) {
    auto path = ctx.manifest_path(file);
    if (file.empty() && !std::filesystem::exists(path)) {
        return std::nullopt;
    }
    return rack::load_manifest(path, state::Store(ctx.state_dir()));
}

std::vector<manifest::RackSpec> racks_of(Context& ctx, const std::string& file) {
    auto m = maybe_manifest(ctx, file);
    return rack::all_racks(m ? &*m : nullptr, state::Store(ctx.state_dir()), ctx.reporter());
}

/// SSH options from the state dir, ~/.ssh, $SSH_AUTH_SOCK and the flags.
transport::SshOptions ssh_options(Context& ctx, const ConnectFlags& f) {
    transport::SshOptions ssh;
    ssh.known_hosts = state::Store(ctx.state_dir()).known_hosts();
    ssh.home = Context::env("HOME");
    if (!ssh.home.empty()) {
        auto dot_ssh = ssh.home / ".ssh";
        ssh.user_known_hosts = dot_ssh / "known_hosts";
        ssh.ssh_config = dot_ssh / "config";
        ssh.identity_files = {dot_ssh / "id_ed25519", dot_ssh / "id_ecdsa", dot_ssh / "id_rsa"};
    }
    ssh.agent_socket = Context::env("SSH_AUTH_SOCK");
    ssh.interactive = ctx.stdin_is_tty();
    ssh.accept_new = f.accept_new;
    ssh.connect_timeout = std::chrono::seconds(f.connect_timeout);
    if (ctx.stdin_is_tty()) {
        ssh.prompt = [](const std::string& prompt) {
            const char* p = ::getpass(
                prompt.c_str()); // NOLINT(concurrency-mt-unsafe): the terminal's own prompt
            return std::string(p ? p : "");
        };
    }
    return ssh;
}

/// Throws "N of M servers failed" when any outcome failed.
void fail_if_any(size_t failed, size_t total, const std::string& what) {
    if (failed > 0) {
        fail("{} of {} servers {}", failed, total, what);
    }
}

void rack_add(Context& ctx, const std::string& name, const std::vector<std::string>& servers,
              const std::string& region, const std::string& key, const std::string& alias) {
    state::check_rack_name(name);
    if (name == "local") {
        throw usage_error("rack name 'local' is reserved for this machine");
    }
    state::RackRecord r{name, "static", region, alias, {}};
    for (const auto& s : servers) {
        r.servers.push_back(rack::parse_server(s));
        r.servers.back().key = key;
    }
    state::Store store(ctx.state_dir());
    auto lock = store.lock();
    if (state::load_rack(store, name)) {
        throw Error(fmt::format("rack {} is already registered", name))
            .with_hint(fmt::format("remove it first: wm rack remove {}", name));
    }
    state::save_rack(store, r);
    if (ctx.options.json) {
        ctx.print_json(state::to_json(r));
    } else {
        ctx.print(fmt::format("registered rack {} ({} server{})\n", name, r.servers.size(),
                              r.servers.size() == 1 ? "" : "s"));
    }
}

void rack_list(Context& ctx, const std::string& file) {
    auto m = maybe_manifest(ctx, file);
    state::Store store(ctx.state_dir());
    auto racks = rack::all_racks(m ? &*m : nullptr, store, ctx.reporter());
    auto registered = [&](const std::string& name) {
        bool in_manifest = m && m->find_rack(name);
        return !in_manifest && name != "local";
    };
    if (ctx.options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : racks) {
            out.push_back({{"name", r.name},
                           {"provider", r.provider},
                           {"region", r.region},
                           {"source", registered(r.name) ? "registered" : "manifest"},
                           {"servers", rack::server_names(r)}});
        }
        ctx.print_json(out);
        return;
    }
    std::string text = fmt::format("{:<16} {:<9} {:<10} {:<11} {}\n", "NAME", "PROVIDER", "REGION",
                                   "SOURCE", "SERVERS");
    for (const auto& r : racks) {
        text += fmt::format("{:<16} {:<9} {:<10} {:<11} {}\n", r.name, r.provider,
                            r.region.empty() ? "-" : r.region,
                            registered(r.name) ? "registered" : "manifest",
                            fmt::join(rack::server_names(r), ","));
    }
    ctx.print(text);
}

void rack_remove(Context& ctx, const std::string& name) {
    state::Store store(ctx.state_dir());
    auto lock = store.lock();
    if (!state::remove_rack(store, name)) {
        fail("rack {} is not registered", name);
    }
    if (ctx.options.json) {
        ctx.print_json({{"removed", name}});
        return;
    }
    ctx.print(fmt::format("removed rack {}\n", name));
}

void rack_status(Context& ctx, const std::string& name, const ConnectFlags& f) {
    state::Store store(ctx.state_dir());
    auto racks = racks_of(ctx, f.file);
    const auto& r = rack::find_rack(racks, name);
    auto servers = rack::rack_status(r, rack::layout_of(r, store), ssh_options(ctx, f),
                                     ctx.reporter(), {f.parallel, false});
    size_t down = 0;
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : servers) {
        down += s.reachable ? 0 : 1;
        out.push_back(rack::to_json(s));
    }
    if (ctx.options.json) {
        ctx.print_json({{"rack", name}, {"servers", out}});
    } else {
        ctx.print(rack::render_status(servers));
    }
    fail_if_any(down, servers.size(), "unreachable");
}

void rack_bootstrap(Context& ctx, const std::string& name, const ConnectFlags& f) {
    state::Store store(ctx.state_dir());
    auto m = maybe_manifest(ctx, f.file);
    auto racks = rack::all_racks(m ? &*m : nullptr, store, ctx.reporter());
    const auto& r = rack::find_rack(racks, name);
    // In an app repository: also what the stacks deployed to this rack need at run time.
    std::vector<std::string> run_packages;
    if (m) {
        run_packages = build::rack_run_packages(
            *m, name, std::filesystem::absolute(ctx.manifest_path(f.file)).parent_path(),
            ctx.state_dir(), ctx.runner(), ctx.reporter());
    }
    // Bootstrap may install packages for minutes: show per-server progress meanwhile.
    auto outcomes =
        rack::bootstrap_rack(r, rack::layout_of(r, store), run_packages, ssh_options(ctx, f),
                             ctx.reporter(), {f.parallel, !ctx.options.quiet});
    size_t failed = 0;
    nlohmann::json out = nlohmann::json::array();
    std::string text;
    for (const auto& o : outcomes) {
        if (!o.ok()) {
            ++failed;
            out.push_back(
                {{"server", o.server}, {"ok", false}, {"error", rack::reason_of(*o.error)}});
            text += fmt::format("{}: failed: {}\n", o.server, rack::reason_of(*o.error));
            continue;
        }
        out.push_back({{"server", o.server}, {"ok", true}, {"changes", *o.value}});
        text += o.value->empty() ? fmt::format("{}: unchanged\n", o.server) : "";
        for (const auto& c : *o.value) {
            text += fmt::format("{}: {}\n", o.server, c);
        }
    }
    if (ctx.options.json) {
        ctx.print_json({{"rack", name}, {"servers", out}});
    } else {
        ctx.print(text);
    }
    fail_if_any(failed, outcomes.size(), "failed to bootstrap");
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

void rack_exec(Context& ctx, const std::string& name, const std::vector<std::string>& argv,
               const ConnectFlags& f) {
    auto racks = racks_of(ctx, f.file);
    const auto& r = rack::find_rack(racks, name);
    std::string command = argv.size() == 1 ? argv[0] : shell_join(argv);
    std::mutex mutex;
    bool stream = !ctx.options.json;
    auto outcomes = rack::on_each_server<transport::RunResult>(
        r, ssh_options(ctx, f), ctx.reporter(),
        [&](transport::Transport& t) {
            PrefixedLines out(t.name(), stdout, mutex), err(t.name(), stderr, mutex);
            transport::RunOptions o;
            if (stream) {
                o.on_output = [&](Stream s, std::string_view chunk) {
                    (s == Stream::out ? out : err).add(chunk);
                };
            }
            auto result = t.run(command, o);
            out.flush();
            err.flush();
            return result;
        },
        {f.parallel, false});
    size_t failed = 0;
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : outcomes) {
        bool ok = o.ok() && o.value->ok();
        failed += ok ? 0 : 1;
        std::string status = !o.ok() ? "failed: " + rack::reason_of(*o.error)
                                     : fmt::format("exit {}", o.value->exit_code);
        if (o.ok()) {
            out.push_back({{"server", o.server},
                           {"exit_code", o.value->exit_code},
                           {"out", o.value->out},
                           {"err", o.value->err}});
        } else {
            out.push_back({{"server", o.server}, {"error", rack::reason_of(*o.error)}});
        }
        if (!ctx.options.json) {
            std::lock_guard lock(mutex);
            std::fprintf(stderr, "%s: %s\n", o.server.c_str(), status.c_str());
        }
    }
    if (ctx.options.json) {
        ctx.print_json({{"rack", name}, {"servers", out}});
    }
    fail_if_any(failed, outcomes.size(), "failed");
}

void rack_forget_host(Context& ctx, const std::string& host) {
    state::Store store(ctx.state_dir());
    int n = transport::forget_host(store.known_hosts(), host);
    if (n == 0) {
        fail("{} has no entry for {}", store.known_hosts().string(), transport::host_field(host));
    }
    if (ctx.options.json) {
        ctx.print_json({{"host", transport::host_field(host)}, {"removed_keys", n}});
        return;
    }
    ctx.print(fmt::format("removed {} key{} of {} from {}\n", n, n == 1 ? "" : "s",
                          transport::host_field(host), store.known_hosts().string()));
}

} // namespace

void add_rack_command(CLI::App& app, Context& ctx) {
    CLI::App* group = app.add_subcommand("rack", "Register, inspect and prepare racks of servers");
    group->require_subcommand(1);
    group->footer("Examples:\n  wm rack add edge --server root@10.0.0.5 --server 10.0.0.6:2222\n"
                  "  wm rack status edge\n  wm rack bootstrap edge\n  wm rack exec edge -- uptime");

    struct AddArgs {
        std::string name, region, key, alias;
        std::vector<std::string> servers;
    };
    auto a = std::make_shared<AddArgs>();
    CLI::App* add = group->add_subcommand("add", "Register a rack of servers you already have");
    add->add_option("name", a->name, "Rack name")->required();
    add->add_option("--server", a->servers, "[user@]host[:port], repeatable")->required();
    add->add_option("--region", a->region, "Region label (for environment overrides)");
    add->add_option("--key", a->key, "Private key file for every server");
    add->add_option("--alias-domain", a->alias, "Platform alias domain (<env>.<domain>)");
    add->footer(
        "Example:\n  wm rack add edge --server root@10.0.0.5 --server 10.0.0.6 --region eu");
    add_global_flags(*add, ctx);
    add->callback([&ctx, a] { rack_add(ctx, a->name, a->servers, a->region, a->key, a->alias); });

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

    auto f = std::make_shared<ConnectFlags>();
    CLI::App* status =
        group->add_subcommand("status", "Reachability, OS, disk and tools per server");
    status->add_option("name", *name, "Rack name")->required();
    add_connect_flags(status, *f);
    status->footer("Example:\n  wm rack status edge --json");
    add_global_flags(*status, ctx);
    status->callback([&ctx, name, f] { rack_status(ctx, *name, *f); });

    CLI::App* boot = group->add_subcommand("bootstrap", "Prepare every server (idempotent)");
    boot->add_option("name", *name, "Rack name")->required();
    add_connect_flags(boot, *f);
    boot->footer("Installs missing runit, caddy, bubblewrap and curl (apt-get), creates the\n"
                 "/var/lib/widemesh layout and keeps a runsvdir running over its service/ dir.\n"
                 "Example:\n  wm rack bootstrap edge --accept-new");
    add_global_flags(*boot, ctx);
    boot->callback([&ctx, name, f] { rack_bootstrap(ctx, *name, *f); });

    auto argv = std::make_shared<std::vector<std::string>>();
    CLI::App* exec = group->add_subcommand("exec", "Run a command on every server of a rack");
    exec->add_option("name", *name, "Rack name")->required();
    exec->add_option("command", *argv, "Command (after --)")->required();
    add_connect_flags(exec, *f);
    exec->footer("Output lines are prefixed with the server; exit 1 if any server failed.\n"
                 "Example:\n  wm rack exec edge -- df -h /");
    add_global_flags(*exec, ctx);
    exec->callback([&ctx, name, argv, f] { rack_exec(ctx, *name, *argv, *f); });

    auto host = std::make_shared<std::string>();
    CLI::App* forget =
        group->add_subcommand("forget-host", "Drop a host's key from wm's known_hosts");
    forget->add_option("host", *host, "host, host:port or [host]:port")->required();
    forget->footer("Use after a server was reinstalled.\nExample:\n  wm rack forget-host 10.0.0.5");
    add_global_flags(*forget, ctx);
    forget->callback([&ctx, host] { rack_forget_host(ctx, *host); });
}

} // namespace wm::cli
