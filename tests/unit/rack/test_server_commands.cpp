// Every remote command and message of ServerOps, by exact text (rack/server_commands.hpp).
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/server_commands.hpp>

#include <catch2/catch.hpp>

using namespace wm;
using namespace wm::rack;

namespace {
const Layout k_l{"/r"};
} // namespace

TEST_CASE("server commands: files and readiness", "[rack]") {
    CHECK(make_dirs_command({"/a", "/b c"}) == "mkdir -p /a '/b c'");
    CHECK(file_exists_command("/r/service/proxy/run") == "test -f /r/service/proxy/run");
    CHECK(file_nonempty_command("/r/slugs/ab.tar.zst") == "test -s /r/slugs/ab.tar.zst");
    CHECK(cat_command("/r/locks/it's.lock") == "cat '/r/locks/it'\\''s.lock' 2>/dev/null");
    CHECK(prepare_layout_command(k_l) == "mkdir -p /r/slugs /r/envs /r/service /r/logs/proxy "
                                         "/r/proxy/routes /r/proxy/data /r/locks && "
                                         "chmod 0700 /r/slugs");
    CHECK(user_id_command() == "id -u");
    CHECK(stage_proxy_command("/r/service/.proxy") ==
          "rm -rf /r/service/.proxy && mkdir -p /r/service/.proxy/log");
    CHECK(install_proxy_command(k_l, "/r/service/.proxy") ==
          "mv /r/service/.proxy /r/service/proxy\n" + poke_runsvdir_command(k_l));
}

TEST_CASE("server commands: proxy", "[rack]") {
    std::string caddy = "env HOME=/r/proxy XDG_DATA_HOME=/r/proxy/xdg XDG_CONFIG_HOME=/r/proxy/xdg "
                        "caddy";
    CHECK(caddy_command(k_l) == caddy);
    CHECK(read_routes_command(k_l) ==
          "for f in /r/proxy/routes/*.json; do [ -f \"$f\" ] && { cat \"$f\"; echo; }; done; true");
    CHECK(caddy_validate_command(k_l, "/r/proxy/Caddyfile.next") ==
          caddy + " validate --config /r/proxy/Caddyfile.next --adapter caddyfile");
    CHECK(caddy_switch_command(k_l, "/r/proxy/Caddyfile.next") ==
          "{ [ ! -f /r/proxy/Caddyfile ] || cp /r/proxy/Caddyfile /r/proxy/Caddyfile.prev; } && "
          "mv /r/proxy/Caddyfile.next /r/proxy/Caddyfile && i=0 && while [ ! -S "
          "/r/proxy/admin.sock ] && [ $i -lt 150 ]; do i=$((i + 1)); sleep 0.1; done; " +
              caddy +
              " reload --config /r/proxy/Caddyfile --adapter caddyfile --address "
              "unix//r/proxy/admin.sock");
    CHECK(caddy_restore_command(k_l) ==
          "[ ! -f /r/proxy/Caddyfile.prev ] || mv /r/proxy/Caddyfile.prev /r/proxy/Caddyfile");
}

TEST_CASE("server commands: lease, releases and records", "[rack]") {
    CHECK(remove_lease_command(k_l, "production") == "rm -f /r/locks/production.lock");
    CHECK(list_releases_command(k_l, "production", "web") ==
          "ls /r/envs/production/web/releases 2>/dev/null");
    CHECK(unpack_command(k_l, "production", "web", 3, "ab12") ==
          "set -e; rm -rf /r/envs/production/web/releases/v3/.app.tmp; mkdir -p "
          "/r/envs/production/web/releases/v3/.app.tmp; tar --zstd -xf /r/slugs/ab12.tar.zst -C "
          "/r/envs/production/web/releases/v3/.app.tmp; rm -rf "
          "/r/envs/production/web/releases/v3/app; mv "
          "/r/envs/production/web/releases/v3/.app.tmp /r/envs/production/web/releases/v3/app");
    CHECK(reset_config_command(k_l, "production", "web", 3) ==
          "rm -rf /r/envs/production/web/releases/v3/env && mkdir -p -m 0700 "
          "/r/envs/production/web/releases/v3/env");
    runtime::SandboxSpec spec;
    spec.app_dir = "/r/app";
    spec.scratch_dir = "/r/scratch";
    spec.env_dir = "/r/env";
    spec.command = "rake db:migrate";
    CHECK(release_command(spec) ==
          "mkdir -p /r/env /r/scratch && " + runtime::sandbox_command(spec) + " 2>&1");
    CHECK(remove_scratch_command("/r/scratch") == "rmdir /r/scratch 2>/dev/null; true");
    CHECK(prune_command(k_l, "production", "web", {}) == "true");
    CHECK(prune_command(k_l, "production", "web", {2, 1}) ==
          "true && rm -rf /r/envs/production/web/releases/v2 /r/logs/production.web.*.v2.* && "
          "rm -rf /r/envs/production/web/releases/v1 /r/logs/production.web.*.v1.*");
    CHECK(list_deployments_command(k_l, "production", "web") ==
          "cd /r/envs/production/web/deployments 2>/dev/null && for f in v*.json; do echo "
          "\"${f%.json}\"; done");
    CHECK(deployment_base(k_l, "production", "web", 4) == "/r/envs/production/web/deployments/v4");
}

TEST_CASE("server commands: instances", "[rack]") {
    CHECK(instance_name("production", "web", "worker", 3, 2) == "production.web.worker.v3.2");
    CHECK(tail_log_command(k_l, "production.web.web.v3.1", 20) ==
          "tail -n 20 /r/logs/production.web.web.v3.1/current 2>/dev/null");
    CHECK(stage_instances_command(k_l, {"e.s.web.v1.1"}) ==
          "mkdir -p /r/service/.e.s.web.v1.1/log /r/service/.e.s.web.v1.1/layer "
          "/r/service/.e.s.web.v1.1/control /r/logs/e.s.web.v1.1");
    CHECK(activate_instances_command(k_l, {"a.1", "b.1"}) ==
          "true && mv /r/service/.a.1 /r/service/a.1 && mv /r/service/.b.1 /r/service/b.1\n" +
              poke_runsvdir_command(k_l));
    std::vector<runtime::WebTarget> web{{"a.1", 20001}};
    std::vector<runtime::WorkerTarget> workers{{"w.1", "/r/service/w.1"}};
    CHECK(health_command(web, {}, "/up", 30) ==
          "rc=0; web=\n( " + runtime::web_health_script(web, "/up", 30) +
              ") & web=$!\n[ -z \"$web\" ] || wait $web || rc=1\nexit ${rc:-0}\n");
    CHECK(health_command({}, workers, "/", 30) ==
          "rc=0; web=\n( " + runtime::worker_health_script(workers, 3, 30) +
              ") || rc=1\n[ -z \"$web\" ] || wait $web || rc=1\nexit ${rc:-0}\n");
    std::string stop = runtime::stop_services_command("/r/service", {"a.1"}, 12);
    CHECK(stop_instances_command(k_l, {"a.1"}, 0) == stop);
    CHECK(stop_instances_command(k_l, {"a.1"}, 2) == "sleep 2\n" + stop);
}

TEST_CASE("server command output parsers", "[rack]") {
    CHECK(parse_versions("v10\nv2\nx3\nv\nv1a\n") == std::vector<int>{2, 10});
    CHECK(last_lines("a\nb\nc\n", 2) == "b\nc\n");
    CHECK(last_lines("a", 5) == "a\n");
    CHECK(nonempty_lines("a\n\nb\n") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("server messages", "[rack]") {
    Lease l{"alice@desk",
            "desk",
            7,
            "2026-11-30T10:00:00Z",
            "2026-11-30T10:10:00Z",
            "deploy production web@abc1234"};
    CHECK(lease_held_message("production", l) ==
          "environment 'production' is locked: held by alice@desk (pid 7 on desk) since "
          "2026-11-30T10:00:00Z, expires 2026-11-30T10:10:00Z: deploy production web@abc1234");
    CHECK(stale_lease_message("production", l) ==
          "taking over a stale lease of 'production' (held by alice@desk (pid 7 on desk) since "
          "2026-11-30T10:00:00Z, expires 2026-11-30T10:10:00Z: deploy production web@abc1234)");
    CHECK(port_in_use_message("8080 4711 python3 -m http.server 8080") ==
          "port 8080 is already in use by another process (pid 4711); stop it or give the rack "
          "another port\n  8080 4711 python3 -m http.server 8080");
    CHECK(unhealthy_message(2, 30, true, "\nx") == "2 instance(s) not healthy after 30 s (timed "
                                                   "out):\nx");
    CHECK(unhealthy_instance_message("a.1", "503", "") ==
          "\na.1: 503\nlast log lines of a.1:\n(no log output)\n");
    CHECK(unhealthy_instance_message("a.1", "000 refused", "boom\n") ==
          "\na.1: 000 refused\nlast log lines of a.1:\nboom\n");
    CHECK(started_message("a.1", 20001) == "started a.1 on port 20001");
    CHECK(started_message("w.1", 0) == "started w.1");
    CHECK(stopped_message(2) == "stopped 2 instance(s)");
    CHECK(routed_message("web.web", 2) == "proxy routes web.web to 2 instance(s)");
}

TEST_CASE("tenants: a recorded uid per key, the lowest free one allocated under a mutex") {
    CHECK(machine_command() == "uname -m");
    CHECK(allocate_tenant_command(k_l, "staging") ==
          "mkdir -p -m 0700 /r/tenants\n" + runtime::mutex_acquire_command("/r/tenants/.lock", 10) +
              R"SH(f=/r/tenants/uids
touch "$f"
uid=$(awk -v k=staging '$2 == k { print $1 }' "$f")
if [ -z "$uid" ]; then
	uid=70000
	while awk -v u="$uid" '$1 == u { t = 1 } END { exit !t }' "$f" ||
		getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
	if [ "$uid" -gt 99999 ]; then rmdir /r/tenants/.lock 2>/dev/null; true; echo "no free tenant uid"; exit 1; fi
	echo "$uid "staging >> "$f"
fi
rmdir /r/tenants/.lock 2>/dev/null; true
echo "$uid"
)SH");
    CHECK(restrict_dirs_command({"/r/envs/staging", "/r/logs/x"}, 70001) ==
          "mkdir -p /r/envs/staging /r/logs/x && chown root:70001 /r/envs/staging /r/logs/x && "
          "chmod 0750 /r/envs/staging /r/logs/x");
    CHECK(move_command("/r/a b", "/r/c") == "mv '/r/a b' /r/c");
    CHECK(unpack_command(k_l, "staging", "web", 1, "ab12", 70001, 70001) ==
          "set -e; rm -rf /r/envs/staging/web/releases/v1/.app.tmp; mkdir -p "
          "/r/envs/staging/web/releases/v1/.app.tmp; tar --zstd -xf /r/slugs/ab12.tar.zst -C "
          "/r/envs/staging/web/releases/v1/.app.tmp; chown -R 70001:70001 "
          "/r/envs/staging/web/releases/v1/.app.tmp; chmod -R o-rwx "
          "/r/envs/staging/web/releases/v1/.app.tmp; chown root:70001 "
          "/r/envs/staging/web/releases/v1; chmod 0750 /r/envs/staging/web/releases/v1; rm -rf "
          "/r/envs/staging/web/releases/v1/app; mv /r/envs/staging/web/releases/v1/.app.tmp "
          "/r/envs/staging/web/releases/v1/app");
}
