#include "support/fake_server.hpp"

#include <wm/ops/deploy.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/remote_build.hpp>

#include <catch2/catch.hpp>

using namespace wm;

namespace {

// A plan with two racks: "a" (servers a1, a2) and "b" (server b1); one stack "app" with web x2.
ops::DeployPlan two_rack_plan() {
    ops::DeployPlan plan;
    plan.app = "shop";
    plan.environment = "production";
    plan.stacks = {"app"};
    plan.keep_releases = 3;
    plan.build = "local"; // the laptop build; rack builds: "deploy builds on the rack" below
    for (auto [rack, servers] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"a", {"a1", "a2"}}, {"b", {"b1"}}}) {
        ops::PlannedRack r;
        r.resolved.rack.name = rack;
        r.resolved.alias = "shop-production.example.test";
        manifest::StackSpec stack;
        stack.name = "app";
        stack.config = {{"GREETING", "hi"}};
        manifest::ServiceSpec web;
        web.name = "web";
        web.instances = 2;
        web.health.path = "/health";
        stack.services = {web};
        r.resolved.stacks = {stack};
        for (const auto& s : servers) {
            ops::PlannedServer ps;
            ps.name = s;
            ps.rack = rack;
            r.servers.push_back(ps);
        }
        plan.racks.push_back(r);
    }
    return plan;
}

struct Harness : test::OpsHarness {
    Harness() : OpsHarness({"a1", "a2", "b1"}) {}
};

std::vector<std::string> instance_names(const test::FakeServerState& s) {
    std::vector<std::string> out;
    for (const auto& i : s.instances) {
        out.push_back(i.name);
    }
    return out;
}

} // namespace

TEST_CASE("deploy runs the steps in order on every server", "[ops]") {
    Harness h;
    h.connector.servers.at("a2").next_version = 4; // the same N everywhere: the max
    h.connector.servers.at("b1").slugs.insert("sha-0123456-app");
    h.builder.release_command = "npm run migrate";
    ops::DeployResult result = ops::deploy_plan(two_rack_plan(), {}, h.env);

    REQUIRE(result.stacks.size() == 1);
    CHECK(result.stacks[0].version == 4);
    CHECK(result.stacks[0].uploaded_to == std::vector<std::string>{"a1", "a2"});
    CHECK(h.calls("a1") == std::vector<std::string>{
                               "preflight",
                               "acquire_lease shop/production",
                               "acquire_lease shop/production",
                               "ensure_ready",
                               "check_alias shop/production",
                               "acquire_lease shop/production",
                               "upload_slug sha-0123456-app",
                               "unpack_release v4",
                               "write_config v4 (1 vars)",
                               "run_release_command v4 npm run migrate",
                               "acquire_lease shop/production",
                               "start_instances v4",
                               "wait_healthy 2 /health",
                               "switch_proxy shop/production.app "
                               "shop.production.app.web.v4.1,shop.production.app.web.v4.2",
                               "stop_instances ",
                               "record_deployment v4 succeeded",
                               "prune_releases keep 3 current v4",
                               "release_lease shop/production",
                           });
    CHECK(h.calls("b1")[5] ==
          "unpack_release v4"); // b1 is not the lease arbiter // slug present: no upload
    CHECK(std::count(h.calls("b1").begin(), h.calls("b1").end(),
                     "run_release_command v4 npm run migrate") == 0);
    REQUIRE(h.journal.records.size() == 1);
    CHECK(h.journal.records[0]["status"] == "succeeded");
    CHECK(h.journal.records[0]["who"] == "dev@laptop");
    CHECK(h.journal.records[0]["servers"]["b1"] == "ok");
}

TEST_CASE("a second deploy replaces the old instances after the switch", "[ops]") {
    Harness h;
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    h.builder.commit = "fedcba9876543210fedcba9876543210fedcba98";
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    CHECK(instance_names(h.connector.servers.at("a1")) ==
          std::vector<std::string>{"shop.production.app.web.v1.1", "shop.production.app.web.v1.2"});
    auto& calls = h.calls("a1");
    auto sw = std::find(calls.begin(), calls.end(),
                        "switch_proxy shop/production.app "
                        "shop.production.app.web.v1.1,shop.production.app.web.v1.2");
    REQUIRE(sw != calls.end());
    CHECK(*(sw + 1) == "stop_instances shop.production.app.web.v0.1,shop.production.app.web.v0.2");
}

TEST_CASE("a failing health check keeps the old release and names server and step", "[ops]") {
    Harness h;
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    h.builder.commit = "fedcba9876543210fedcba9876543210fedcba98";
    h.connector.servers.at("a2").fail_step = "wait_healthy";
    try {
        ops::deploy_plan(two_rack_plan(), {}, h.env);
        FAIL("deploy succeeded");
    } catch (const Error& e) {
        CHECK(e.describe() ==
              "server a2: step health check: 2 of 2 new instance(s) not healthy:\n"
              "shop.production.app.web.v1.1 answered 503 at /health; "
              "stacks.app.services.web.health.path must answer 2xx\nlast log lines of "
              "shop.production.app.web.v1.1:\n(no log output)\n\n"
              "shop.production.app.web.v1.2 answered 503 at /health; "
              "stacks.app.services.web.health.path must answer 2xx\nlast log lines of "
              "shop.production.app.web.v1.2:\n(no log output)\n");
    }
    for (const char* name : {"a1", "a2", "b1"}) {
        INFO(name);
        CHECK(instance_names(h.connector.servers.at(name)) ==
              std::vector<std::string>{"shop.production.app.web.v0.1",
                                       "shop.production.app.web.v0.2"});
        CHECK(!h.connector.servers.at(name).lease);
    }
    CHECK(h.connector.servers.at("a1").routes.at("shop/production.app")[0].version == 0);
    CHECK(h.journal.records.back()["status"] == "failed");
    CHECK(h.journal.records.back()["version"] == 1);
}

TEST_CASE("a server that cannot switch after others did: the deploy rolls forward and says "
          "what each server serves",
          "[ops]") {
    Harness h;
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    h.builder.commit = "fedcba9876543210fedcba9876543210fedcba98";
    h.connector.servers.at("a2").fail_step = "switch_proxy";
    std::string message;
    try {
        ops::deploy_plan(two_rack_plan(), {}, h.env);
        FAIL("deploy succeeded");
    } catch (const Error& e) {
        message = e.describe();
    }
    CHECK(message == "the new release serves on 2 of 3 servers (a1, b1); not on server a2: step "
                     "switch: switch_proxy failed on purpose; deploy again to finish (a server "
                     "that could not be reached is brought in line the next time wm reaches it)");
    // a1 and b1 serve v1 only; a2 kept v0 (its new instances were stopped).
    for (const char* name : {"a1", "b1"}) {
        INFO(name);
        CHECK(h.connector.servers.at(name).routes.at("shop/production.app")[0].version == 1);
        CHECK(instance_names(h.connector.servers.at(name)) ==
              std::vector<std::string>{"shop.production.app.web.v1.1",
                                       "shop.production.app.web.v1.2"});
    }
    CHECK(h.connector.servers.at("a2").routes.at("shop/production.app")[0].version == 0);
    CHECK(instance_names(h.connector.servers.at("a2")) ==
          std::vector<std::string>{"shop.production.app.web.v0.1", "shop.production.app.web.v0.2"});
    // The records say the same, on the servers and in the journal; the lease is free.
    const nlohmann::json& record = h.journal.records.back();
    CHECK(record["status"] == "partial");
    CHECK(record["servers"]["a1"] == "ok");
    CHECK(record["servers"]["b1"] == "ok");
    CHECK(record["servers"]["a2"] ==
          "not switched: server a2: step switch: switch_proxy failed on purpose");
    CHECK(h.connector.servers.at("b1").deployments.at(1).first.status == "partial");
    for (const char* name : {"a1", "a2", "b1"}) {
        CHECK(!h.connector.servers.at(name).lease);
    }
    // The next deploy finishes the job everywhere.
    h.connector.servers.at("a2").fail_step = "";
    h.builder.commit = "1234567890123456789012345678901234567890";
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    for (const char* name : {"a1", "a2", "b1"}) {
        INFO(name);
        CHECK(h.connector.servers.at(name).routes.at("shop/production.app")[0].version == 2);
    }
}

TEST_CASE("a later rack failing its health check after an earlier rack switched is reported, "
          "not hidden",
          "[ops]") {
    Harness h;
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    h.builder.commit = "fedcba9876543210fedcba9876543210fedcba98";
    h.connector.servers.at("b1").fail_step = "wait_healthy";
    CHECK_THROWS_WITH(ops::deploy_plan(two_rack_plan(), {}, h.env),
                      Catch::StartsWith("the new release serves on 2 of 3 servers (a1, a2); not "
                                        "on server b1: step health check: 2 of 2 new"));
    CHECK(h.connector.servers.at("b1").routes.at("shop/production.app")[0].version == 0);
    CHECK(h.connector.servers.at("a1").routes.at("shop/production.app")[0].version == 1);
    CHECK(h.journal.records.back()["status"] == "partial");
}

TEST_CASE("a singleton runs once per environment and is replaced stop-first", "[ops]") {
    Harness h;
    ops::DeployPlan plan = two_rack_plan();
    plan.racks[0].primary = true;
    for (auto& rack : plan.racks) {
        manifest::ServiceSpec clock;
        clock.name = "clock";
        clock.command = "./clock";
        clock.singleton = true;
        rack.resolved.stacks[0].services.push_back(clock);
    }
    ops::deploy_plan(plan, {}, h.env);
    CHECK(instance_names(h.connector.servers.at("a1")) ==
          std::vector<std::string>{"shop.production.app.web.v0.1", "shop.production.app.web.v0.2",
                                   "shop.production.app.clock.v0.1"});
    for (const char* name : {"a2", "b1"}) {
        INFO(name);
        CHECK(instance_names(h.connector.servers.at(name)) ==
              std::vector<std::string>{"shop.production.app.web.v0.1",
                                       "shop.production.app.web.v0.2"});
    }
    h.builder.commit = "fedcba9876543210fedcba9876543210fedcba98";
    ops::deploy_plan(plan, {}, h.env);
    auto& calls = h.calls("a1");
    auto stop_old =
        std::find(calls.begin(), calls.end(), "stop_instances shop.production.app.clock.v0.1");
    REQUIRE(stop_old != calls.end());
    // The new web instances were healthy before; the old clock stops, then the new one starts.
    CHECK(*(stop_old - 1) == "wait_healthy 2 /health");
    CHECK(*(stop_old + 1) == "start_instances v1");
    CHECK(*(stop_old + 2) == "wait_healthy 1 ");
    CHECK(instance_names(h.connector.servers.at("a1")) ==
          std::vector<std::string>{"shop.production.app.web.v1.1", "shop.production.app.web.v1.2",
                                   "shop.production.app.clock.v1.1"});
}

TEST_CASE("an interrupted deploy exits 130 and gives the lease back", "[ops]") {
    Harness h;
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    h.builder.commit = "fedcba9876543210fedcba9876543210fedcba98";
    h.cancel.tripped = true;
    try {
        ops::deploy_plan(two_rack_plan(), {}, h.env);
        FAIL("deploy succeeded");
    } catch (const Error& e) {
        CHECK(e.describe() == "interrupted");
        CHECK(e.exit_code() == ExitCode::interrupted);
    }
    for (const char* name : {"a1", "a2", "b1"}) {
        INFO(name);
        CHECK(!h.connector.servers.at(name).lease);
        CHECK(h.calls(name).back() == "release_lease shop/production");
    }
}

TEST_CASE("a failed deploy says whether an earlier release still serves", "[ops]") {
    Harness h;
    auto warnings = [&] {
        std::vector<std::string> out;
        for (const auto& e : h.reporter.events()) {
            if (e.kind == "warn") {
                out.push_back(e.message);
            }
        }
        return out;
    };
    h.connector.servers.at("a2").fail_step = "wait_healthy";
    CHECK_THROWS(ops::deploy_plan(two_rack_plan(), {}, h.env));
    CHECK(warnings() == std::vector<std::string>{"deploy failed; nothing was serving before this "
                                                 "deploy, so nothing serves now"});
    h.connector.servers.at("a2").fail_step = "";
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    h.builder.commit = "fedcba9876543210fedcba9876543210fedcba98";
    h.connector.servers.at("a2").fail_step = "wait_healthy";
    CHECK_THROWS(ops::deploy_plan(two_rack_plan(), {}, h.env));
    CHECK(warnings().back() == "deploy failed; the previous release keeps serving");
}

TEST_CASE("a deployment record a server cannot store is warned about, naming it", "[ops]") {
    Harness h;
    h.connector.servers.at("b1").fail_step = "record_deployment";
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    std::vector<std::string> warnings;
    for (const auto& e : h.reporter.events()) {
        if (e.kind == "warn") {
            warnings.push_back(e.message);
        }
    }
    CHECK(warnings == std::vector<std::string>{"could not store the deployment record: server b1: "
                                               "step record: record_deployment failed on "
                                               "purpose"});
    CHECK(h.connector.servers.at("a1").deployments.at(0).first.status == "succeeded");
    CHECK(h.journal.records.size() == 1);
}

TEST_CASE("a failing release command starts nothing", "[ops]") {
    Harness h;
    h.builder.release_command = "false";
    h.connector.servers.at("a1").release_exit_code = 3;
    try {
        ops::deploy_plan(two_rack_plan(), {}, h.env);
        FAIL("deploy succeeded");
    } catch (const Error& e) {
        CHECK(e.describe() ==
              "server a1: step release: stack app: release command exited with status 3");
    }
    for (const char* name : {"a1", "a2", "b1"}) {
        CHECK(h.connector.servers.at(name).instances.empty());
    }
}

TEST_CASE("an unreachable server stops the deploy before anything changes", "[ops]") {
    Harness h;
    h.connector.unreachable.insert("b1");
    try {
        ops::deploy_plan(two_rack_plan(), {}, h.env);
        FAIL("deploy succeeded");
    } catch (const Error& e) {
        CHECK(e.describe() ==
              "server b1: step connect: cannot connect to b1 port 22: no route to host");
    }
    CHECK(h.calls("a1").empty());
    CHECK(h.builder.builds == 0);
}

TEST_CASE("a server without a stack's runtime fails at preflight before anything", "[ops]") {
    Harness h;
    h.connector.servers.at("b1").missing.insert("node");
    try {
        ops::deploy_plan(two_rack_plan(), {}, h.env);
        FAIL("deploy succeeded");
    } catch (const Error& e) {
        CHECK(e.describe() == "server b1: step preflight: stack app needs node (Debian package "
                              "nodejs); run 'wm rack bootstrap b'");
    }
    for (const char* name : {"a1", "a2", "b1"}) {
        CHECK(h.calls(name) == std::vector<std::string>{"preflight"});
    }
    CHECK(h.builder.builds == 0);
}

TEST_CASE("a lease held by someone else fails showing the holder, or waits", "[ops]") {
    Harness h;
    rack::Lease other;
    other.holder = "alice@desk";
    other.control_host = "desk";
    other.pid = 7;
    other.started = "2026-11-30T10:00:00Z";
    other.expires = "2026-11-30T10:10:00Z";
    other.what = "deploy production app@abc1234";
    h.connector.servers.at("a2").lease = other;
    SECTION("no wait") {
        try {
            ops::deploy_plan(two_rack_plan(), {}, h.env);
            FAIL("deploy succeeded");
        } catch (const Error& e) {
            CHECK(e.describe() ==
                  "server a2: step deploy lease: environment 'production' of app 'shop' is "
                  "locked: held by alice@desk (pid 7 on desk) since "
                  "2026-11-30T10:00:00Z, expires 2026-11-30T10:10:00Z: deploy "
                  "production app@abc1234");
            CHECK(e.hint() == "wait for it with --wait, or see `wm lock status`");
        }
        CHECK(!h.connector.servers.at("a1").lease); // taken, then given back
        CHECK(h.connector.servers.at("a2").lease->holder == "alice@desk");
    }
    SECTION("--wait gives up after the duration") {
        ops::DeployRequest req;
        req.wait = std::chrono::seconds(10);
        auto start = h.clock.t;
        CHECK_THROWS_AS(ops::deploy_plan(two_rack_plan(), req, h.env), Error);
        CHECK(h.clock.t - start >= std::chrono::seconds(10));
    }
}

TEST_CASE("at_server puts server and step first, once", "[ops]") {
    Error bare("refused");
    CHECK(ops::at_server(bare, "h1", "connect").describe() == "server h1: step connect: refused");
    Error named = Error("refused").with_server("h1");
    CHECK(ops::at_server(named, "h1", "connect").describe() == "server h1: step connect: refused");
    Error full = Error("bad").with_step("health check").with_server("h1");
    CHECK(ops::at_server(full, "h1", "health").describe() == "server h1: step health check: bad");
}

TEST_CASE("redeploying the same commit and config changes nothing", "[ops]") {
    Harness h;
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    size_t calls = h.calls("a2").size();
    ops::DeployResult again = ops::deploy_plan(two_rack_plan(), {}, h.env);
    CHECK(again.stacks[0].unchanged);
    CHECK(again.stacks[0].version == 0);
    CHECK(again.stacks[0].uploaded_to.empty());
    std::vector<std::string> after(h.calls("a2").begin() + calls, h.calls("a2").end());
    CHECK(after == std::vector<std::string>{"preflight", "acquire_lease shop/production",
                                            "ensure_ready", "check_alias shop/production",
                                            "release_lease shop/production"});
    ops::DeployPlan bigger = two_rack_plan();
    bigger.racks[1].resolved.stacks[0].services[0].instances = 3;
    CHECK(!ops::deploy_plan(bigger, {}, h.env).stacks[0].unchanged);
}

TEST_CASE("the deploy fingerprint is keyed by the app env's hash key", "[ops]") {
    Harness h;
    ops::deploy_plan(two_rack_plan(), {}, h.env);
    std::string first = h.connector.servers.at("a1").deployments.at(0).first.fingerprint;
    CHECK(first.size() == 64);
    // Same commit and config, another key (a new app env, or a key that was replaced): the
    // fingerprint differs, so nobody can test a guess of the config against a known key-less
    // hash.
    for (auto& [name, s] : h.connector.servers) {
        s.hash_key = "another key";
    }
    ops::DeployResult again = ops::deploy_plan(two_rack_plan(), {}, h.env);
    CHECK(!again.stacks[0].unchanged);
    CHECK(h.connector.servers.at("a1").deployments.at(again.stacks[0].version).first.fingerprint !=
          first);
}

TEST_CASE("deploy builds on the first server and the others fetch the slug from it", "[ops]") {
    Harness h;
    ops::DeployPlan plan = two_rack_plan();
    plan.build = "rack";
    plan.racks[0].servers[0].ssh.address = "10.0.0.1";
    h.connector.servers.at("b1").slugs.insert("sha-built-app"); // b1 has it: not fetched again
    ops::DeployResult result = ops::deploy_plan(plan, {}, h.env);

    REQUIRE(result.stacks.size() == 1);
    CHECK(result.stacks[0].sha256 == "sha-built-app");
    CHECK(result.stacks[0].uploaded_to == std::vector<std::string>{"a2"});
    std::vector<std::string> a1 = h.calls("a1");
    std::vector<std::string> want{"build_slug app",
                                  "offer_slugs shop.production.app.sha-built-ap 10.0.0.1",
                                  "withdraw_slugs shop.production.app.sha-built-ap"};
    std::vector<std::string> got;
    for (const auto& c : a1) {
        if (c.rfind("build_slug", 0) == 0 || c.rfind("offer_slugs", 0) == 0 ||
            c.rfind("withdraw_slugs", 0) == 0 || c.rfind("upload_slug", 0) == 0) {
            got.push_back(c);
        }
    }
    CHECK(got == want);
    CHECK(std::count(h.calls("a2").begin(), h.calls("a2").end(),
                     "fetch_slug sha-built-app from 10.0.0.1") == 1);
    for (const char* s : {"a2", "b1"}) {
        for (const auto& c : h.calls(s)) {
            CHECK(c.rfind("upload_slug", 0) != 0); // nothing went through this machine
            CHECK(c.rfind("build_slug", 0) != 0);
        }
    }
    CHECK(h.builder.builds == 1);
}

TEST_CASE("deploy builds on the server the manifest names, or here with --build local", "[ops]") {
    Harness h;
    ops::DeployPlan plan = two_rack_plan();
    plan.build = "server b1";
    ops::deploy_plan(plan, {}, h.env);
    CHECK(std::count(h.calls("b1").begin(), h.calls("b1").end(), "build_slug app") == 1);
    CHECK(std::count(h.calls("a1").begin(), h.calls("a1").end(), "build_slug app") == 0);

    Harness here;
    ops::DeployRequest req;
    req.build = "local";
    plan.build = "";
    ops::deploy_plan(plan, req, here.env);
    CHECK(std::count(here.calls("a1").begin(), here.calls("a1").end(),
                     "upload_slug sha-0123456-app") == 1);
}

TEST_CASE("without build: in the manifest, deploy builds on the rack", "[ops]") {
    Harness h;
    ops::DeployPlan plan = two_rack_plan();
    plan.build = "";
    ops::deploy_plan(plan, {}, h.env);
    CHECK(std::count(h.calls("a1").begin(), h.calls("a1").end(), "build_slug app") == 1);
    CHECK(h.builder.builds == 1);
    for (const char* s : {"a1", "a2", "b1"}) {
        for (const auto& c : h.calls(s)) {
            CHECK(c.rfind("upload_slug", 0) != 0); // nothing went through this machine
        }
    }
}

TEST_CASE("a builder without git fails at preflight, naming it, before anything", "[ops]") {
    Harness h;
    ops::DeployPlan plan = two_rack_plan();
    plan.build = "rack";
    h.connector.servers.at("a2").missing.insert("git"); // not the builder: git is not needed
    h.connector.servers.at("a1").missing.insert("git");
    try {
        ops::deploy_plan(plan, {}, h.env);
        FAIL("deploy succeeded");
    } catch (const Error& e) {
        CHECK(e.describe() == "server a1: step preflight: the builder needs git (Debian package "
                              "git); run 'wm rack bootstrap a'");
    }
    for (const char* name : {"a1", "a2", "b1"}) {
        CHECK(h.calls(name) == std::vector<std::string>{"preflight"});
    }
    CHECK(h.builder.builds == 0);

    Harness lacks_rsync;
    lacks_rsync.connector.servers.at("b1").missing.insert("rsync");
    try {
        ops::deploy_plan(plan, {}, lacks_rsync.env);
        FAIL("deploy succeeded");
    } catch (const Error& e) { // every server fetches slugs with rsync
        CHECK(e.describe() == "server b1: step preflight: wm needs rsync (Debian package rsync); "
                              "run 'wm rack bootstrap b'");
    }
}

TEST_CASE("the builder of a plan", "[ops]") {
    ops::DeployPlan plan = two_rack_plan();
    CHECK(ops::builder_of(plan, "") == "a1"); // the default: the rack
    CHECK(ops::builder_of(plan, "rack") == "a1");
    CHECK(ops::builder_of(plan, "local") == "");
    CHECK(ops::builder_of(plan, "server b1") == "b1");
    CHECK_THROWS_WITH(ops::builder_of(plan, "server zz"),
                      "build: server zz is not a server of environment production (its servers: "
                      "a1, a2, b1)");
    CHECK_THROWS_WITH(ops::builder_of(plan, "cloud"),
                      "build: 'cloud' is not one of local, rack, server NAME");
    plan.racks[0].servers[0].local = true; // the local rack is this machine: it builds here
    CHECK(ops::builder_of(plan, "rack") == "");
    CHECK(ops::builder_of(plan, "") == "");
}

TEST_CASE("a failed fetch withdraws the builder's offer", "[ops]") {
    Harness h;
    ops::DeployPlan plan = two_rack_plan();
    plan.build = "rack";
    h.connector.servers.at("a2").fail_step = "fetch_slug";
    CHECK_THROWS(ops::deploy_plan(plan, {}, h.env));
    CHECK(std::count(h.calls("a1").begin(), h.calls("a1").end(),
                     "withdraw_slugs shop.production.app.sha-built-ap") == 1);
}

TEST_CASE("the build job runs the build module's sandbox on the builder's layout", "[ops]") {
    build::BuildRequest req;
    req.stack.name = "web";
    req.stack.config = {{"A", "1"}};
    rack::BuildJob job = ops::build_job({"shop", "production"}, req, "id1", "c0ffee",
                                        {{"node", "h1", "/tmp/n.tar.zst", "node"}});
    CHECK(job.builder_uid == 69999);
    CHECK(job.config == std::map<std::string, std::string>{{"A", "1"}});
    REQUIRE(job.compile_commands.size() == 1);
    CHECK(job.compile_commands[0] ==
          "env -i HOME=/tmp LANG=C.UTF-8 PATH=/usr/local/bin:/usr/bin:/bin SOURCE_VERSION=c0ffee "
          "STACK=wm-debian-12 bwrap --die-with-parent --unshare-pid --unshare-ipc --unshare-uts "
          "--hostname wm-build --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 "
          "/lib64 --symlink usr/bin /bin --symlink usr/sbin /sbin --ro-bind /etc /etc --proc /proc "
          "--dev /dev --perms 01777 --tmpfs /tmp "
          "--bind /var/lib/widemesh/build/work/id1/app /app "
          "--bind /var/lib/widemesh/build/cache/shop.production/web/node /cache "
          "--ro-bind /var/lib/widemesh/build/work/id1/env /env "
          "--ro-bind /var/lib/widemesh/build/buildpacks/h1 /buildpack --chdir /app "
          "setpriv --reuid 69999 --regid 69999 --clear-groups --inh-caps=-all --ambient-caps=-all "
          "--bounding-set=-all --no-new-privs -- /buildpack/bin/compile /app /cache /env 2>&1");
    REQUIRE(job.release_commands.size() == 1);
    CHECK(job.release_commands[0].find("--ro-bind /var/lib/widemesh/build/work/id1/app /app") !=
          std::string::npos);
    CHECK(job.release_commands[0].find("/buildpack/bin/release /app") != std::string::npos);
    CHECK(job.release_commands[0].find("2>&1") == std::string::npos);
}
