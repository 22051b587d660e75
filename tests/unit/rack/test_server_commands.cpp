// Every remote command and message of ServerOps, by exact text (rack/server_commands.hpp).
#include <wm/base/error.hpp>
#include <wm/rack/drain.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/transport/factory.hpp>

#include <catch2/catch.hpp>

using namespace wm;
using namespace wm::rack;

namespace {
const Layout k_l{"/r"};
const AppEnv k_shop{"shop", "production"};
} // namespace

TEST_CASE("layout: everything of an app env is keyed by app and environment", "[rack]") {
    CHECK(k_l.apps_dir() == "/r/apps");
    CHECK(k_l.app_env_dir(k_shop) == "/r/apps/shop/production");
    CHECK(k_l.stack_dir(k_shop, "web") == "/r/apps/shop/production/web");
    CHECK(k_l.release_app_dir(k_shop, "web", 3) == "/r/apps/shop/production/web/releases/v3/app");
    CHECK(k_l.release_env_dir(k_shop, "web", 3) == "/r/apps/shop/production/web/releases/v3/env");
    CHECK(k_l.config_dir(k_shop, "web") == "/r/apps/shop/production/web/config");
    CHECK(k_l.deployments_dir(k_shop, "web") == "/r/apps/shop/production/web/deployments");
    CHECK(k_l.route_file(k_shop) == "/r/proxy/routes/shop.production.json");
    CHECK(k_l.lock_file(k_shop) == "/r/locks/shop.production.lock");
    // Names are DNS labels: '-' may occur in them, '.' never, so flat names cannot collide.
    AppEnv ab_c{"a-b", "c"}, a_bc{"a", "b-c"};
    CHECK(ab_c.flat() == "a-b.c");
    CHECK(a_bc.flat() == "a.b-c");
    CHECK(k_l.lock_file(ab_c) != k_l.lock_file(a_bc));
    CHECK(k_l.route_file(ab_c) != k_l.route_file(a_bc));
    CHECK(instance_name(ab_c, "s", "web", 1, 1) == "a-b.c.s.web.v1.1");
    CHECK(instance_name(a_bc, "s", "web", 1, 1) == "a.b-c.s.web.v1.1");
    // ... but their platform aliases are the same host (deploy refuses the second).
    CHECK(alias_host(ab_c, "example.test") == "a-b-c.example.test");
    CHECK(alias_host(a_bc, "example.test") == "a-b-c.example.test");
    CHECK(alias_host(k_shop, "localhost") == "shop-production.localhost");
    CHECK(alias_host(k_shop, "") == "");
}

TEST_CASE("server commands: files and readiness", "[rack]") {
    CHECK(make_dirs_command({"/a", "/b c"}) == "mkdir -p /a '/b c'");
    CHECK(file_exists_command("/r/service/proxy/run") == "test -f /r/service/proxy/run");
    CHECK(unchanged_file_command("/r/proxy/Caddyfile.next", "/r/proxy/Caddy file") ==
          "cmp -s /r/proxy/Caddyfile.next '/r/proxy/Caddy file' && rm -f /r/proxy/Caddyfile.next");
    CHECK(file_nonempty_command("/r/slugs/ab.tar.zst") == "test -s /r/slugs/ab.tar.zst");
    CHECK(cat_command("/r/locks/it's.lock") == "cat '/r/locks/it'\\''s.lock' 2>/dev/null");
    CHECK(prepare_layout_command(k_l) == "mkdir -p /r/slugs /r/apps /r/service /r/logs/proxy "
                                         "/r/proxy/routes /r/proxy/data /r/locks && "
                                         "chmod 0700 /r/slugs && { [ -f /r/VERSION ] || "
                                         "printf '2\\n' > /r/VERSION; }");
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
    CHECK(remove_lease_command(k_l, k_shop) == "rm -f /r/locks/shop.production.lock");
    CHECK(list_releases_command(k_l, k_shop, "web") ==
          "ls /r/apps/shop/production/web/releases 2>/dev/null");
    CHECK(
        unpack_command(k_l, k_shop, "web", 3, "ab12") ==
        "set -e; rm -rf /r/apps/shop/production/web/releases/v3/.app.tmp; mkdir -p "
        "/r/apps/shop/production/web/releases/v3/.app.tmp; tar --zstd -xf /r/slugs/ab12.tar.zst -C "
        "/r/apps/shop/production/web/releases/v3/.app.tmp; rm -rf "
        "/r/apps/shop/production/web/releases/v3/app; mv "
        "/r/apps/shop/production/web/releases/v3/.app.tmp "
        "/r/apps/shop/production/web/releases/v3/app");
    CHECK(reset_config_command(k_l, k_shop, "web", 3) ==
          "rm -rf /r/apps/shop/production/web/releases/v3/env && mkdir -p -m 0700 "
          "/r/apps/shop/production/web/releases/v3/env");
    runtime::SandboxSpec spec;
    spec.app_dir = "/r/app";
    spec.scratch_dir = "/r/scratch";
    spec.env_dir = "/r/env";
    spec.command = "rake db:migrate";
    CHECK(release_command(spec) ==
          "mkdir -p /r/env /r/scratch && " + runtime::sandbox_command(spec) + " 2>&1");
    CHECK(remove_scratch_command("/r/scratch") == "rmdir /r/scratch 2>/dev/null; true");
    CHECK(deployment_base(k_l, k_shop, "web", 4) == "/r/apps/shop/production/web/deployments/v4");
}

TEST_CASE("server commands: instances", "[rack]") {
    CHECK(instance_name(k_shop, "web", "worker", 3, 2) == "shop.production.web.worker.v3.2");
    CHECK(tail_log_command(k_l, "production.web.web.v3.1", 20) ==
          "tail -n 20 /r/logs/production.web.web.v3.1/current 2>/dev/null");
    CHECK(stage_instances_command(k_l, {"e.s.web.v1.1"}) ==
          "mkdir -p /r/service/.e.s.web.v1.1/log /r/service/.e.s.web.v1.1/layer "
          "/r/service/.e.s.web.v1.1/control /r/logs/e.s.web.v1.1");
    CHECK(activate_instances_command(k_l, {"a.1", "b.1"}) ==
          "true && mv /r/service/.a.1 /r/service/a.1 && mv /r/service/.b.1 /r/service/b.1\n" +
              poke_runsvdir_command(k_l));
    std::vector<runtime::WebTarget> web{{"a.1", 20001, "/r/service/a.1"}};
    std::vector<runtime::WorkerTarget> workers{{"w.1", "/r/service/w.1"}};
    CHECK(health_command(web, {}, "/up", 30) ==
          "rc=0; web=\n( " + runtime::web_health_script(web, "/up", 30) +
              ") & web=$!\n[ -z \"$web\" ] || wait $web || rc=1\nexit ${rc:-0}\n");
    CHECK(health_command({}, workers, "/", 30) ==
          "rc=0; web=\n( " + runtime::worker_health_script(workers, 30) +
              ") || rc=1\n[ -z \"$web\" ] || wait $web || rc=1\nexit ${rc:-0}\n");
    std::string stop = runtime::stop_services_command("/r/service", {"a.1"}, 12);
    CHECK(stop_instances_command(k_l, {"a.1"}, 0) == stop);
    CHECK(stop_instances_command(k_l, {"a.1"}, 2) == "sleep 2.000\n" + stop);
    CHECK(stop_instances_command(k_l, {"a.1"}, 2, {20001}) == drain_command({20001}, 2000) + stop);
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
    CHECK(lease_held_message(k_shop, l) ==
          "environment 'production' of app 'shop' is locked: held by alice@desk (pid 7 on desk) "
          "since "
          "2026-11-30T10:00:00Z, expires 2026-11-30T10:10:00Z: deploy production web@abc1234");
    CHECK(stale_lease_message(k_shop, l) ==
          "taking over a stale lease of environment 'production' of app 'shop' (held by alice@desk "
          "(pid 7 on desk) since "
          "2026-11-30T10:00:00Z, expires 2026-11-30T10:10:00Z: deploy production web@abc1234)");
    CHECK(alias_taken_message("a-b-c.example.test", {"a", "b-c"}, {"a-b", "c"}) ==
          "platform alias a-b-c.example.test of environment 'b-c' of app 'a' is already served by "
          "environment 'c' of app 'a-b' on this server; rename the app or the environment");
    CHECK(port_in_use_message("8080 4711 python3 -m http.server 8080") ==
          "port 8080 is already in use by another process (pid 4711); stop it or give the rack "
          "another port\n  8080 4711 python3 -m http.server 8080");
    CHECK(unhealthy_message(1, 2, false, "\nx") == "1 of 2 new instance(s) not healthy:\nx");
    CHECK(unhealthy_message(2, 2, true, "") ==
          "2 of 2 new instance(s) not healthy (the check itself did not finish):");
    CHECK(deploy_failed_message(true) == "deploy failed; the previous release keeps serving");
    CHECK(deploy_failed_message(false) ==
          "deploy failed; nothing was serving before this deploy, so nothing serves now");
}

TEST_CASE("health failures explain themselves and name what to change", "[rack]") {
    UnhealthyInstance u{"p.app.web.v1.1", 21000, "", "", 30, "stacks.app.services.web.health", ""};
    auto says = [&](const std::string& why, const std::string& path = "") {
        u.why = why;
        u.path = path;
        return unhealthy_instance_message(u);
    };
    std::string no_log = "\nlast log lines of p.app.web.v1.1:\n(no log output)\n";
    CHECK(says("crashed 3") == "\np.app.web.v1.1 exits right after it starts (restarted 3 times); "
                               "gave up without waiting for the timeout" +
                                   no_log);
    CHECK(says("closed 5000 ") ==
          "\np.app.web.v1.1 never listened on $PORT (21000); it listens on port 5000 instead: "
          "make it listen on the port in the PORT environment variable" +
              no_log);
    CHECK(says("closed 5000 8080 ") ==
          "\np.app.web.v1.1 never listened on $PORT (21000); it listens on ports 5000 8080 "
          "instead: make it listen on the port in the PORT environment variable" +
              no_log);
    CHECK(says("closed ") == "\np.app.web.v1.1 never listened on $PORT (21000) within 30 s; if it "
                             "boots slowly, raise stacks.app.services.web.health.timeout (now "
                             "30 s)" +
                                 no_log);
    CHECK(says("answered 503") ==
          "\np.app.web.v1.1 answered 503 at /; with no health.path, any answer below 500 means "
          "up (set stacks.app.services.web.health.path to check another path)" +
              no_log);
    CHECK(says("answered 302", "/up") ==
          "\np.app.web.v1.1 answered 302 at /up; stacks.app.services.web.health.path must "
          "answer 2xx" +
              no_log);
    CHECK(says("error Operation timed out after 2001 milliseconds with 0 bytes received") ==
          "\np.app.web.v1.1 did not answer at / on port 21000 within 30 s (Operation timed out "
          "after 2001 milliseconds with 0 bytes received); if it boots slowly, raise "
          "stacks.app.services.web.health.timeout (now 30 s)" +
              no_log);
    CHECK(says("down down: /s/w: 1s, normally up") ==
          "\np.app.web.v1.1 was not running steadily within 30 s (down: /s/w: 1s, normally "
          "up); if it boots slowly, raise stacks.app.services.web.health.timeout (now 30 s)" +
              no_log);
    u.log = "boom\n";
    CHECK(says("mystery") == "\np.app.web.v1.1 mystery\nlast log lines of p.app.web.v1.1:\nboom\n");
    CHECK(started_message("a.1", 20001) == "started a.1 on port 20001");
    CHECK(started_message("w.1", 0) == "started w.1");
    CHECK(stopped_message(2) == "stopped 2 instance(s)");
    CHECK(routed_message("web.web", 2) == "proxy routes web.web to 2 instance(s)");
}

TEST_CASE("server commands: preflight, one script for every need", "[rack]") {
    std::vector<Need> needs = {{"", "runit", "runsvdir"},
                               {"web", "nodejs", "node"},
                               {"web", "libpq5", ""},
                               {"api", "python3", "python3"}};
    CHECK(preflight_command(needs) ==
          "dpkg=; command -v dpkg-query >/dev/null 2>&1 && dpkg=1\n"
          "command -v runsvdir >/dev/null 2>&1 || echo 'missing 0'\n"
          "command -v node >/dev/null 2>&1 || echo 'missing 1'\n"
          "{ [ -z \"$dpkg\" ] || dpkg-query -W -f='${Status}' libpq5 2>/dev/null | grep -q ' ok "
          "installed$'; } || echo 'missing 2'\n"
          "command -v python3 >/dev/null 2>&1 || echo 'missing 3'\n");
    CHECK(parse_missing("missing 1\nnoise\nmissing 3\nmissing 9\nmissing x\n", 4) ==
          std::vector<size_t>{1, 3});
    CHECK(parse_missing("", 4).empty());
    CHECK(missing_message(needs[1], "trio", false) ==
          "stack web needs node (Debian package nodejs); run 'wm rack bootstrap trio'");
    CHECK(missing_message(needs[2], "trio", false) ==
          "stack web needs libpq5 (Debian package libpq5); run 'wm rack bootstrap trio'");
    CHECK(missing_message(needs[0], "trio", false) ==
          "wm needs runsvdir (Debian package runit); run 'wm rack bootstrap trio'");
    CHECK(missing_message(needs[1], "local", true) ==
          "stack web needs node (Debian package nodejs); install it: apt-get install nodejs");
    CHECK(base_needs().front().command == "runsvdir");
}

TEST_CASE("preflight runs the script on a server and names the first missing need", "[rack]") {
    auto t = transport::connect_local("h1");
    ServerOptions options;
    options.rack = "trio";
    NullReporter reporter;
    ServerOps ops(*t, Layout{"/nonexistent"}, reporter, options);
    CHECK_NOTHROW(ops.preflight({{"", "coreutils", "sh"}}));
    try {
        ops.preflight({{"", "coreutils", "sh"},
                       {"web", "wm-test-absent", "wm-test-absent-command"},
                       {"web", "other", "wm-test-other-absent"}});
        FAIL("preflight passed");
    } catch (const Error& e) {
        CHECK(e.describe() ==
              "server h1: step preflight: stack web needs wm-test-absent-command (Debian package "
              "wm-test-absent); run 'wm rack bootstrap trio'");
    }
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
    CHECK(restrict_dirs_command({"/r/apps/shop/staging", "/r/logs/x"}, 70001) ==
          "mkdir -p /r/apps/shop/staging /r/logs/x && chown root:70001 /r/apps/shop/staging "
          "/r/logs/x && "
          "chmod 0750 /r/apps/shop/staging /r/logs/x");
    CHECK(move_command("/r/a b", "/r/c") == "mv '/r/a b' /r/c");
    CHECK(unpack_command(k_l, AppEnv{"shop", "staging"}, "web", 1, "ab12", 70001, 70001) ==
          "set -e; rm -rf /r/apps/shop/staging/web/releases/v1/.app.tmp; mkdir -p "
          "/r/apps/shop/staging/web/releases/v1/.app.tmp; tar --zstd -xf /r/slugs/ab12.tar.zst -C "
          "/r/apps/shop/staging/web/releases/v1/.app.tmp; chown -R 70001:70001 "
          "/r/apps/shop/staging/web/releases/v1/.app.tmp; chmod -R o-rwx "
          "/r/apps/shop/staging/web/releases/v1/.app.tmp; chown root:70001 "
          "/r/apps/shop/staging/web/releases/v1; chmod 0750 /r/apps/shop/staging/web/releases/v1; "
          "rm -rf "
          "/r/apps/shop/staging/web/releases/v1/app; mv "
          "/r/apps/shop/staging/web/releases/v1/.app.tmp "
          "/r/apps/shop/staging/web/releases/v1/app");
}
