// ServerOps' lease on this machine (no daemons needed): acquire, refuse, renew, take over, release.
#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/transport/local_transport.hpp>

#include <catch2/catch.hpp>

using namespace wm;

namespace {
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

    CHECK_FALSE(ops.read_lease("production"));
    ops.acquire_lease("production", lease("alice", 1));
    auto held = ops.read_lease("production");
    REQUIRE(held);
    CHECK(held->holder == "alice@ctl");
    CHECK_FALSE(held->expires.empty());

    try {
        ops.acquire_lease("production", lease("bob", 2));
        FAIL("expected the lease to be refused");
    } catch (const Error& e) {
        CHECK_THAT(e.describe(),
                   Catch::StartsWith("server local: step deploy lease: environment 'production' "
                                     "is locked: held by alice@ctl (pid 1 on ctl) since "));
    }
    ops.acquire_lease("production", lease("alice", 1)); // renewal
    CHECK(ops.read_lease("production")->started == held->started);

    ops.acquire_lease("staging", lease("carol", 3)); // pid 3 is "dead"
    ops.acquire_lease("staging", lease("bob", 2));
    CHECK(ops.read_lease("staging")->holder == "bob@ctl");
    CHECK(reporter.events().back().kind == "warn");

    ops.release_lease("production");
    CHECK_FALSE(ops.read_lease("production"));
    CHECK(t.run("ls -a " + tmp.path().string() + "/locks").out == ".\n..\nstaging.lock\n");
}
