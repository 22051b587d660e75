#include <wm/base/error.hpp>
#include <wm/build/run_packages.hpp>
#include <wm/ops/plan.hpp>
#include <wm/ops/rack_server.hpp>
#include <wm/ops/racks.hpp>
#include <wm/rack/bootstrap.hpp>
#include <wm/rack/build_commands.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/source_commands.hpp>
#include <wm/state/racks.hpp>
#include <wm/transport/known_hosts.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace wm::ops {

namespace {

/// The manifest when one was given or ./widemesh.yaml exists (racks can live outside any repo).
std::optional<manifest::Manifest> maybe_manifest(const RackScope& scope) {
    if (!scope.manifest_given && !std::filesystem::exists(scope.manifest_path)) {
        return std::nullopt;
    }
    return rack::load_manifest(scope.manifest_path, state::Store(scope.state_dir));
}

std::vector<manifest::RackSpec> racks_of(const RackScope& scope, Reporter& reporter) {
    auto m = maybe_manifest(scope);
    return rack::all_racks(m ? &*m : nullptr, state::Store(scope.state_dir), reporter);
}

/// The local rack named `name`; a usage error for any other rack.
manifest::RackSpec local_rack(const RackScope& scope, const std::string& name, Reporter& reporter) {
    auto racks = racks_of(scope, reporter);
    const auto& r = rack::find_rack(racks, name);
    if (r.provider != manifest::Provider::local) {
        throw usage_error(fmt::format("rack {} is a rack of servers; only the local rack runs on "
                                      "this machine and can be stopped or started by wm",
                                      name))
            .with_hint("a server's supervisor starts with the server (see wm rack status " + name +
                       ")");
    }
    return r;
}

rack::FanOutOptions fan_out_options(const RackConnect& connect, bool progress) {
    return {connect.parallel, progress};
}

} // namespace

manifest::RackSpec add_rack(const std::filesystem::path& state_dir, const RackAddRequest& request) {
    state::check_rack_name(request.name);
    if (request.name == manifest::k_local_rack) {
        throw usage_error("rack name 'local' is reserved for this machine");
    }
    manifest::RackSpec r;
    r.name = request.name;
    r.region = request.region;
    r.alias_domain = request.alias_domain;
    for (const auto& s : request.servers) {
        r.servers.push_back(rack::parse_server(s));
        r.servers.back().key = request.key;
    }
    state::Store store(state_dir);
    auto lock = store.lock();
    if (state::load_rack(store, r.name)) {
        throw Error(fmt::format("rack {} is already registered", r.name))
            .with_hint(fmt::format("remove it first: wm rack remove {}", r.name));
    }
    state::save_rack(store, r);
    return r;
}

nlohmann::json rack_json(const manifest::RackSpec& rack) { return state::to_json(rack); }

std::vector<RackRow> list_racks(const RackScope& scope, Reporter& reporter) {
    std::vector<RackRow> rows;
    for (const auto& r : racks_of(scope, reporter)) {
        rows.push_back({r.name, std::string(manifest::to_string(r.provider)), r.region,
                        r.registered ? "registered" : "manifest", rack::server_names(r)});
    }
    return rows;
}

nlohmann::json to_json(const std::vector<RackRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
        out.push_back({{"name", r.name},
                       {"provider", r.provider},
                       {"region", r.region},
                       {"source", r.source},
                       {"servers", r.servers}});
    }
    return out;
}

std::string render_racks(const std::vector<RackRow>& rows) {
    std::string text = fmt::format("{:<16} {:<9} {:<10} {:<11} {}\n", "NAME", "PROVIDER", "REGION",
                                   "SOURCE", "SERVERS");
    for (const auto& r : rows) {
        text += fmt::format("{:<16} {:<9} {:<10} {:<11} {}\n", r.name, r.provider,
                            r.region.empty() ? "-" : r.region, r.source, fmt::join(r.servers, ","));
    }
    return text;
}

void remove_rack(const std::filesystem::path& state_dir, const std::string& name) {
    state::Store store(state_dir);
    auto lock = store.lock();
    if (!state::remove_rack(store, name)) {
        fail("rack {} is not registered", name);
    }
}

std::vector<rack::ServerStatus> rack_status(const RackScope& scope, const std::string& name,
                                            const RackConnect& connect, Reporter& reporter) {
    auto racks = racks_of(scope, reporter);
    const auto& r = rack::find_rack(racks, name);
    return rack::rack_status(r, rack::layout_of(r, state::Store(scope.state_dir)), connect.ssh,
                             reporter, fan_out_options(connect, false));
}

rack::ServerStatus stop_local_rack(const RackScope& scope, const std::string& name,
                                   Reporter& reporter) {
    // 1. Find the local rack's layout; 2. stop its supervisor and everything under it.
    auto r = local_rack(scope, name, reporter);
    auto layout = rack::layout_of(r, state::Store(scope.state_dir));
    auto t = transport::connect_local(std::string(manifest::k_local_rack));
    rack::stop_local_daemons(*t, layout);
    return rack::probe_status(*t, layout);
}

rack::ServerStatus start_local_rack(const RackScope& scope, const std::string& name,
                                    Reporter& reporter) {
    // 1. Find the local rack; 2. make it ready as a deploy would (layout, runsvdir, proxy);
    // 3. report what runs.
    auto r = local_rack(scope, name, reporter);
    RackConnector connector(scope.state_dir, {}, "");
    connector.connect(rack_servers(r).front(), reporter)->ensure_ready();
    auto t = transport::connect_local(std::string(manifest::k_local_rack));
    return rack::probe_status(*t, rack::layout_of(r, state::Store(scope.state_dir)));
}

nlohmann::json to_json(const std::vector<rack::ServerStatus>& servers) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : servers) {
        out.push_back(rack::to_json(s));
    }
    return out;
}

std::string render_status(const std::vector<rack::ServerStatus>& servers) {
    return rack::render_status(servers);
}

std::vector<BootstrapOutcome> bootstrap_rack(const RackScope& scope, const std::string& name,
                                             const RackConnect& connect, ProcessRunner& runner,
                                             Reporter& reporter, bool progress) {
    // 1. The rack, from the manifest (when in an app's repository) or the registered ones.
    auto m = maybe_manifest(scope);
    auto racks = rack::all_racks(m ? &*m : nullptr, state::Store(scope.state_dir), reporter);
    const auto& r = rack::find_rack(racks, name);
    // 2. What the stacks deployed to this rack need at run time (their buildpacks' lists) and,
    // when the app builds on the rack (the default, unless build: local; any server of it may be
    // the builder), what building them needs, rsync for the slugs and git for the source.
    bool builders = m && !r.is_local() && m->build != "local";
    std::vector<std::string> run_packages;
    if (m) {
        run_packages = build::rack_run_packages(
            *m, name, std::filesystem::absolute(scope.manifest_path).parent_path(), scope.state_dir,
            runner, reporter, builders);
    }
    if (builders) {
        run_packages.push_back(rack::slug_transfer_need().package);
        run_packages.push_back(rack::source_repo_need().package);
    }
    // 3. Every server at once.
    return rack::bootstrap_rack(r, rack::layout_of(r, state::Store(scope.state_dir)), run_packages,
                                connect.ssh, reporter, fan_out_options(connect, progress));
}

std::string render_bootstrap(const std::vector<BootstrapOutcome>& outcomes) {
    std::string text;
    for (const auto& o : outcomes) {
        if (!o.ok()) {
            text += fmt::format("{}: failed: {}\n", o.server, rack::reason_of(*o.error));
            continue;
        }
        text += o.value->empty() ? fmt::format("{}: unchanged\n", o.server) : "";
        for (const auto& c : *o.value) {
            text += fmt::format("{}: {}\n", o.server, c);
        }
    }
    return text;
}

nlohmann::json to_json(const std::vector<BootstrapOutcome>& outcomes) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : outcomes) {
        if (o.ok()) {
            out.push_back({{"server", o.server}, {"ok", true}, {"changes", *o.value}});
        } else {
            out.push_back(
                {{"server", o.server}, {"ok", false}, {"error", rack::reason_of(*o.error)}});
        }
    }
    return out;
}

std::vector<ExecOutcome> exec_on_rack(const RackScope& scope, const std::string& name,
                                      const std::string& command, const RackConnect& connect,
                                      Reporter& reporter, const ServerOutputFn& on_output) {
    auto racks = racks_of(scope, reporter);
    const auto& r = rack::find_rack(racks, name);
    std::function<transport::RunResult(transport::Transport&)> run = [&](transport::Transport& t) {
        transport::RunOptions o;
        if (on_output) {
            o.on_output = [&](Stream s, std::string_view chunk) { on_output(t.name(), s, chunk); };
        }
        return t.run(command, o);
    };
    return rack::on_each_server<transport::RunResult>(r, connect.ssh, reporter, run,
                                                      fan_out_options(connect, false));
}

std::string exec_status(const ExecOutcome& outcome) {
    return outcome.ok() ? fmt::format("exit {}", outcome.value->exit_code)
                        : "failed: " + rack::reason_of(*outcome.error);
}

nlohmann::json to_json(const std::vector<ExecOutcome>& outcomes) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : outcomes) {
        if (o.ok()) {
            out.push_back({{"server", o.server},
                           {"exit_code", o.value->exit_code},
                           {"out", o.value->out},
                           {"err", o.value->err}});
        } else {
            out.push_back({{"server", o.server}, {"error", rack::reason_of(*o.error)}});
        }
    }
    return out;
}

ForgottenHost forget_host(const std::filesystem::path& state_dir, const std::string& host) {
    state::Store store(state_dir);
    ForgottenHost out{transport::host_field(host), 0, store.known_hosts()};
    out.removed_keys = transport::forget_host(out.known_hosts, host);
    if (out.removed_keys == 0) {
        fail("{} has no entry for {}", out.known_hosts.string(), out.host);
    }
    return out;
}

size_t failed_count(const std::vector<BootstrapOutcome>& outcomes) {
    return std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return !o.ok(); });
}

size_t failed_count(const std::vector<ExecOutcome>& outcomes) {
    return std::count_if(outcomes.begin(), outcomes.end(),
                         [](const auto& o) { return !o.ok() || !o.value->ok(); });
}

size_t unreachable_count(const std::vector<rack::ServerStatus>& servers) {
    return std::count_if(servers.begin(), servers.end(),
                         [](const auto& s) { return !s.reachable; });
}

} // namespace wm::ops
