#include <wm/base/process.hpp>
#include <wm/rack/bootstrap.hpp>
#include <wm/rack/drain.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/server_commands.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace wm::rack {

namespace {
std::string q(const std::string& s) { return shell_quote(s); }
} // namespace

// ---- files -----------------------------------------------------------------------------------

std::string make_dirs_command(const std::vector<std::string>& dirs) {
    std::string cmd = "mkdir -p";
    for (const auto& d : dirs) {
        cmd += " " + q(d);
    }
    return cmd;
}

std::string file_exists_command(const std::string& path) { return "test -f " + q(path); }

std::string unchanged_file_command(const std::string& next, const std::string& current) {
    return "cmp -s " + q(next) + " " + q(current) + " && rm -f " + q(next);
}

std::string file_nonempty_command(const std::string& path) { return "test -s " + q(path); }

std::string move_command(const std::string& from, const std::string& to) {
    return "mv " + q(from) + " " + q(to);
}

std::string cat_command(const std::string& path) { return "cat " + q(path) + " 2>/dev/null"; }

// ---- readiness -------------------------------------------------------------------------------

std::string prepare_layout_command(const Layout& l) {
    // Slugs hold every environment's code: root's alone (only root unpacks them).
    // VERSION as bootstrap writes it, for the local rack that is never bootstrapped (an
    // existing one is never changed here).
    std::string version = q(l.root + "/VERSION");
    return make_dirs_command({l.slugs_dir(), l.apps_dir(), l.service_dir(), l.logs_dir() + "/proxy",
                              l.proxy_routes_dir(), l.proxy_dir() + "/data", l.locks_dir()}) +
           " && chmod 0700 " + q(l.slugs_dir()) + " && { [ -f " + version + " ] || printf '" +
           std::to_string(k_layout_version) + "\\n' > " + version + "; }";
}

std::string user_id_command() { return "id -u"; }

std::string machine_command() { return "uname -m"; }

std::string stage_proxy_command(const std::string& staging) {
    return "rm -rf " + q(staging) + " && mkdir -p " + q(staging + "/log");
}

std::string install_proxy_command(const Layout& l, const std::string& staging) {
    return "mv " + q(staging) + " " + q(l.instance_dir("proxy")) + "\n" + poke_runsvdir_command(l);
}

// ---- preflight -------------------------------------------------------------------------------

const std::vector<Need>& base_needs() {
    static const std::vector<Need> k_base = {
        {"", "runit", "runsvdir"}, {"", "caddy", "caddy"}, {"", "bubblewrap", "bwrap"},
        {"", "curl", "curl"},      {"", "zstd", "zstd"},   {"", "iproute2", "ss"},
        {"", "procps", "pgrep"},
    };
    return k_base;
}

Need network_need() { return {"", "nftables", "nft"}; }

std::string preflight_command(const std::vector<Need>& needs) {
    std::string script = "dpkg=; command -v dpkg-query >/dev/null 2>&1 && dpkg=1\n";
    for (size_t i = 0; i < needs.size(); ++i) {
        const Need& n = needs[i];
        std::string check =
            n.command.empty()
                ? fmt::format("{{ [ -z \"$dpkg\" ] || dpkg-query -W -f='${{Status}}' {} "
                              "2>/dev/null | grep -q ' ok installed$'; }}",
                              q(n.package))
                : fmt::format("command -v {} >/dev/null 2>&1", q(n.command));
        script += fmt::format("{} || echo 'missing {}'\n", check, i);
    }
    return script;
}

std::vector<size_t> parse_missing(const std::string& output, size_t count) {
    std::vector<size_t> out;
    for (const std::string& line : nonempty_lines(output)) {
        size_t index = 0;
        if (std::sscanf(line.c_str(), "missing %zu", &index) == 1 && index < count) {
            out.push_back(index);
        }
    }
    return out;
}

std::string missing_message(const Need& need, const std::string& rack, bool local) {
    std::string who = !need.who.empty()    ? need.who
                      : need.stack.empty() ? "wm"
                                           : "stack " + need.stack;
    std::string what = need.command.empty() ? need.package : need.command;
    std::string remedy = local ? "install it: apt-get install " + need.package
                               : fmt::format("run 'wm rack bootstrap {}'", rack);
    return fmt::format("{} needs {} (Debian package {}); {}", who, what, need.package, remedy);
}

// ---- tenants ---------------------------------------------------------------------------------

std::string allocate_tenant_command(const Layout& l, const std::string& key) {
    std::string dir = l.tenants_dir();
    return "mkdir -p -m 0700 " + q(dir) + "\n" +
           runtime::mutex_acquire_command(dir + "/.lock", 10) +
           fmt::format(R"SH(f={f}
touch "$f"
uid=$(awk -v k={k} '$2 == k {{ print $1 }}' "$f")
if [ -z "$uid" ]; then
	uid={first}
	while awk -v u="$uid" '$1 == u {{ t = 1 }} END {{ exit !t }}' "$f" ||
		getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
	if [ "$uid" -gt {last} ]; then {release}; echo "no free tenant uid"; exit 1; fi
	echo "$uid "{k} >> "$f"
fi
{release}
echo "$uid"
)SH",
                       fmt::arg("f", q(dir + "/uids")), fmt::arg("k", q(key)),
                       fmt::arg("first", sandbox::k_first_tenant_uid),
                       fmt::arg("last", sandbox::k_last_tenant_uid),
                       fmt::arg("release", runtime::mutex_release_command(dir + "/.lock")));
}

std::string restrict_dirs_command(const std::vector<std::string>& dirs, int gid) {
    std::string list;
    for (const auto& d : dirs) {
        list += " " + q(d);
    }
    return fmt::format("mkdir -p{l} && chown root:{g}{l} && chmod 0750{l}", fmt::arg("l", list),
                       fmt::arg("g", gid));
}

// ---- proxy -----------------------------------------------------------------------------------

std::string read_routes_command(const Layout& l) {
    return "for f in " + q(l.proxy_routes_dir()) +
           "/*.json; do [ -f \"$f\" ] && { cat \"$f\"; echo; }; done; true";
}

std::string caddy_validate_command(const Layout& l, const std::string& file) {
    return caddy_command(l) + " validate --config " + q(file) + " --adapter caddyfile";
}

std::string caddy_switch_command(const Layout& l, const std::string& next) {
    std::string file = q(l.caddyfile()), prev = q(l.caddyfile() + ".prev");
    return "{ [ ! -f " + file + " ] || cp " + file + " " + prev + "; } && mv " + q(next) + " " +
           file + " && i=0 && while [ ! -S " + q(l.admin_socket()) +
           " ] && [ $i -lt 150 ]; do i=$((i + 1)); sleep 0.1; done; " + caddy_command(l) +
           " reload --config " + file + " --adapter caddyfile --address unix/" + l.admin_socket();
}

std::string caddy_restore_command(const Layout& l) {
    std::string file = q(l.caddyfile()), prev = q(l.caddyfile() + ".prev");
    return "[ ! -f " + prev + " ] || mv " + prev + " " + file;
}

// ---- lease -----------------------------------------------------------------------------------

std::string remove_lease_command(const Layout& l, const AppEnv& ae) {
    return "rm -f " + q(l.lock_file(ae));
}

// ---- releases --------------------------------------------------------------------------------

std::string list_releases_command(const Layout& l, const AppEnv& ae, const std::string& stack) {
    return "ls " + q(l.releases_dir(ae, stack)) + " 2>/dev/null";
}

std::string unpack_command(const Layout& l, const AppEnv& ae, const std::string& stack, int version,
                           const std::string& sha256, int uid, int gid) {
    std::string tmp = q(l.release_dir(ae, stack, version) + "/.app.tmp");
    std::string own = uid > 0 ? fmt::format("; chown -R {}:{} {t}; chmod -R o-rwx {t}; "
                                            "chown root:{} {r}; chmod 0750 {r}",
                                            uid, gid, gid, fmt::arg("t", tmp),
                                            fmt::arg("r", q(l.release_dir(ae, stack, version))))
                              : "";
    return fmt::format("set -e; rm -rf {tmp}; mkdir -p {tmp}; "
                       "tar --zstd -xf {slug} -C {tmp}{own}; rm -rf {app}; mv {tmp} {app}",
                       fmt::arg("tmp", tmp), fmt::arg("slug", q(l.slug(sha256))),
                       fmt::arg("own", own),
                       fmt::arg("app", q(l.release_app_dir(ae, stack, version))));
}

std::string reset_config_command(const Layout& l, const AppEnv& ae, const std::string& stack,
                                 int version) {
    std::string dir = q(l.release_env_dir(ae, stack, version));
    return "rm -rf " + dir + " && mkdir -p -m 0700 " + dir;
}

std::string release_command(const runtime::SandboxSpec& spec) {
    return "mkdir -p " + q(spec.env_dir) + " " + q(spec.scratch_dir) + " && " +
           runtime::sandbox_command(spec) + " 2>&1";
}

std::string remove_scratch_command(const std::string& scratch) {
    return "rmdir " + q(scratch) + " 2>/dev/null; true";
}

// ---- records ---------------------------------------------------------------------------------

std::string deployment_base(const Layout& l, const AppEnv& ae, const std::string& stack,
                            int version) {
    return l.deployments_dir(ae, stack) + "/v" + std::to_string(version);
}

// ---- instances -------------------------------------------------------------------------------

std::string instance_name(const AppEnv& ae, const std::string& stack, const std::string& service,
                          int version, int index) {
    return fmt::format("{}.{}.{}.v{}.{}", ae.flat(), stack, service, version, index);
}

std::string tail_log_command(const Layout& l, const std::string& instance, int lines) {
    return fmt::format("tail -n {} {} 2>/dev/null", lines, q(l.log_dir(instance) + "/current"));
}

std::string stage_instances_command(const Layout& l, const std::vector<std::string>& names) {
    std::vector<std::string> dirs;
    for (const auto& name : names) {
        std::string staging = l.instance_dir("." + name);
        dirs.insert(dirs.end(),
                    {staging + "/log", staging + "/layer", staging + "/control", l.log_dir(name)});
    }
    return make_dirs_command(dirs);
}

std::string activate_instances_command(const Layout& l, const std::vector<std::string>& names) {
    std::string moves = "true";
    for (const auto& name : names) {
        moves += " && mv " + q(l.instance_dir("." + name)) + " " + q(l.instance_dir(name));
    }
    return moves + "\n" + poke_runsvdir_command(l);
}

std::string health_command(const std::vector<runtime::WebTarget>& web,
                           const std::vector<runtime::WorkerTarget>& workers,
                           const std::string& path, int timeout_s) {
    std::string script = "rc=0; web=\n";
    if (!web.empty()) {
        script += "( " + runtime::web_health_script(web, path, timeout_s) + ") & web=$!\n";
    }
    if (!workers.empty()) {
        script += "( " + runtime::worker_health_script(workers, timeout_s) + ") || rc=1\n";
    }
    return script + "[ -z \"$web\" ] || wait $web || rc=1\nexit ${rc:-0}\n";
}

std::string stop_instances_command(const Layout& l, const std::vector<std::string>& names,
                                   int drain_s, const std::vector<int>& ports) {
    return drain_command(ports, drain_s * 1000) +
           runtime::stop_services_command(l.service_dir(), names, 12);
}

// ---- parsers of command output --------------------------------------------------------------

std::vector<int> parse_versions(const std::string& text) {
    std::vector<int> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) {
        if (w.size() > 1 && w[0] == 'v' &&
            w.find_first_not_of("0123456789", 1) == std::string::npos) {
            out.push_back(std::stoi(w.substr(1)));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string last_lines(const std::string& text, int n) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    size_t from = lines.size() > static_cast<size_t>(n) ? lines.size() - n : 0;
    std::string out;
    for (size_t i = from; i < lines.size(); ++i) {
        out += lines[i] + "\n";
    }
    return out;
}

std::vector<std::string> nonempty_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            out.push_back(line);
        }
    }
    return out;
}

// ---- messages --------------------------------------------------------------------------------

std::string lease_held_message(const AppEnv& ae, const Lease& holder) {
    return fmt::format("{} is locked: {}", ae.describe(), describe_lease(holder));
}

std::string stale_lease_message(const AppEnv& ae, const Lease& holder) {
    return fmt::format("taking over a stale lease of {} ({})", ae.describe(),
                       describe_lease(holder));
}

std::string alias_taken_message(const std::string& host, const AppEnv& wanted,
                                const AppEnv& holder) {
    return fmt::format("platform alias {} of {} is already served by {} on this server; rename "
                       "the app or the environment",
                       host, wanted.describe(), holder.describe());
}

std::string port_in_use_message(const std::string& listener) {
    size_t sp = listener.find(' ');
    std::string port = listener.substr(0, sp);
    std::string pid = listener.substr(sp + 1, listener.find(' ', sp + 1) - sp - 1);
    return fmt::format("port {} is already in use by another process (pid {}); stop it or give "
                       "the rack another port\n  {}",
                       port, pid, listener);
}

std::string unhealthy_message(size_t failed, size_t count, bool timed_out,
                              const std::string& details) {
    return fmt::format("{} of {} new instance(s) not healthy{}:{}", failed, count,
                       timed_out ? " (the check itself did not finish)" : "", details);
}

namespace {

std::string raise_timeout(const UnhealthyInstance& i) {
    return fmt::format("if it boots slowly, raise {}.timeout (now {} s)", i.setting, i.timeout_s);
}

std::string closed_message(const UnhealthyInstance& i, const std::string& ports) {
    if (ports.empty()) {
        return fmt::format("never listened on $PORT ({}) within {} s; {}", i.port, i.timeout_s,
                           raise_timeout(i));
    }
    bool many = ports.find(' ') != std::string::npos;
    return fmt::format("never listened on $PORT ({}); it listens on port{} {} instead: make it "
                       "listen on the port in the PORT environment variable",
                       i.port, many ? "s" : "", ports);
}

std::string answered_message(const UnhealthyInstance& i, const std::string& code) {
    if (i.path.empty()) {
        return fmt::format("answered {} at /; with no health.path, any answer below 500 means "
                           "up (set {}.path to check another path)",
                           code, i.setting);
    }
    return fmt::format("answered {} at {}; {}.path must answer 2xx", code, i.path, i.setting);
}

/// The verdict word and the rest ("closed 5000 6000" -> {"closed", "5000 6000"}).
std::pair<std::string, std::string> verdict(const std::string& why) {
    size_t sp = why.find(' ');
    std::string rest = sp == std::string::npos ? "" : why.substr(sp + 1);
    while (!rest.empty() && rest.back() == ' ') {
        rest.pop_back();
    }
    return {why.substr(0, sp), rest};
}

std::string diagnosis(const UnhealthyInstance& i) {
    auto [kind, rest] = verdict(i.why);
    if (kind == "crashed") {
        return fmt::format("exits right after it starts (restarted {} times); gave up without "
                           "waiting for the timeout",
                           rest);
    }
    if (kind == "closed") {
        return closed_message(i, rest);
    }
    if (kind == "answered") {
        return answered_message(i, rest);
    }
    if (kind == "error") {
        return fmt::format("did not answer at {} on port {} within {} s ({}); {}",
                           i.path.empty() ? "/" : i.path, i.port, i.timeout_s, rest,
                           raise_timeout(i));
    }
    if (kind == "down") {
        return fmt::format("was not running steadily within {} s ({}); {}", i.timeout_s, rest,
                           raise_timeout(i));
    }
    return i.why;
}

} // namespace

std::string unhealthy_instance_message(const UnhealthyInstance& i) {
    return fmt::format("\n{} {}\nlast log lines of {}:\n{}", i.name, diagnosis(i), i.name,
                       i.log.empty() ? "(no log output)\n" : i.log);
}

std::string deploy_failed_message(bool anything_was_serving) {
    return anything_was_serving
               ? "deploy failed; the previous release keeps serving"
               : "deploy failed; nothing was serving before this deploy, so nothing serves now";
}

std::string started_message(const std::string& name, int port) {
    return fmt::format("started {}{}", name, port ? fmt::format(" on port {}", port) : "");
}

std::string stopped_message(size_t count) { return fmt::format("stopped {} instance(s)", count); }

std::string routed_message(const std::string& target, size_t count) {
    return fmt::format("proxy routes {} to {} instance(s)", target, count);
}

} // namespace wm::rack
