// ServerOps' lease on this machine (no daemons needed): acquire, refuse, renew, take over,
// release; each app env has its own; a platform alias another app env holds is refused.
#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/rack/layout.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/transport/local_transport.hpp>

#include <catch2/catch.hpp>

using namespace wm;

namespace {
const AppEnv k_prod{"shop", "production"};
const AppEnv k_staging{"shop", "staging"};

rack::Lease lease(const std::string& holder, int pid) {
    rack::Lease l;
    l.holder = holder + "@ctl";
    l.control_host = "ctl";
    l.pid = pid;
    l.what = "deploy production app";
    return l;
}
} // namespace

TEST_CASE("server ops lease: refuse while held, renew, take over from a dead pid, release") {
    fs::TempDir tmp("/tmp", "wmlease-");
    transport::LocalTransport t("local");
    CaptureReporter reporter;
    rack::ServerOptions opts;
    opts.control_host = "ctl";
    opts.local_pid_alive = [](int pid) { return pid == 1; };
    rack::ServerOps ops(t, rack::Layout{tmp.path().string()}, reporter, opts);

    CHECK_FALSE(ops.read_lease(k_prod));
    ops.acquire_lease(k_prod, lease("alice", 1));
    auto held = ops.read_lease(k_prod);
    REQUIRE(held);
    CHECK(held->holder == "alice@ctl");
    CHECK_FALSE(held->expires.empty());

    try {
        ops.acquire_lease(k_prod, lease("bob", 2));
        FAIL("expected the lease to be refused");
    } catch (const Error& e) {
        CHECK_THAT(
            e.describe(),
            Catch::StartsWith("server local: step deploy lease: environment 'production' "
                              "of app 'shop' is locked: held by alice@ctl (pid 1 on ctl) since "));
    }
    ops.acquire_lease({"blog", "production"}, lease("bob", 2)); // another app: its own lease
    ops.release_lease({"blog", "production"});
    ops.acquire_lease(k_prod, lease("alice", 1)); // renewal
    CHECK(ops.read_lease(k_prod)->started == held->started);

    ops.acquire_lease(k_staging, lease("carol", 3)); // pid 3 is "dead"
    ops.acquire_lease(k_staging, lease("bob", 2));
    CHECK(ops.read_lease(k_staging)->holder == "bob@ctl");
    CHECK(reporter.events().back().kind == "warn");

    ops.release_lease(k_prod);
    CHECK_FALSE(ops.read_lease(k_prod));
    CHECK(t.run("ls -a " + tmp.path().string() + "/locks").out == ".\n..\nshop.staging.lock\n");
}

TEST_CASE("server ops refuses a platform alias another app env already has") {
    fs::TempDir tmp("/tmp", "wmalias-");
    transport::LocalTransport t("local");
    CaptureReporter reporter;
    rack::ServerOptions opts;
    opts.alias_domain = "example.test";
    rack::Layout layout{tmp.path().string()};
    rack::ServerOps ops(t, layout, reporter, opts);
    proxy::EnvRoutes held;
    held.app_env = {"a-b", "c"};
    held.alias_host = "a-b-c.example.test";
    fs::write_file_atomic(layout.route_file(held.app_env), proxy::to_json(held).dump() + "\n");
    // A record of layout 1 (schema 1, no app) is ignored, not a malformed record.
    fs::write_file_atomic(layout.proxy_routes_dir() + "/c.json",
                          R"({"schema":1,"env":"c","alias_host":"a-b-c.example.test"})");

    ops.check_alias({"a-b", "c"}); // its own alias
    ops.check_alias({"a", "b"});   // a-b.example.test: free
    try {
        ops.check_alias({"a", "b-c"});
        FAIL("expected the alias to be refused");
    } catch (const Error& e) {
        CHECK(e.describe() == "server local: step prepare: platform alias a-b-c.example.test of "
                              "environment 'b-c' of app 'a' is already served by environment 'c' "
                              "of app 'a-b' on this server; rename the app or the environment");
    }
}
