// `wm config`, `wm scale`, `wm restart` over fake servers: what is stored where, what rolls.
#include "support/fake_server.hpp"

#include <wm/ops/config.hpp>
#include <wm/ops/deploy.hpp>
#include <wm/ops/scale.hpp>

#include <catch2/catch.hpp>

using namespace wm;

namespace {

// One rack "a" with servers a1 and a2; stack "app" with web x2 and a worker x1.
ops::DeployPlan plan_with(int web_count = 2) {
    ops::DeployPlan plan;
    plan.build = "local"; // the slugs of the fake builder, as a laptop build makes them
    plan.app = "shop";
    plan.environment = "production";
    plan.stacks = {"app"};
    ops::PlannedRack r;
    r.resolved.rack.name = "a";
    manifest::StackSpec stack;
    stack.name = "app";
    stack.config = {{"GREETING", "hi"}, {"MODE", "manifest"}};
    manifest::ServiceSpec web, worker;
    web.name = "web";
    web.instances = web_count;
    worker.name = "worker";
    worker.command = "node worker.js";
    stack.services = {web, worker};
    r.resolved.stacks = {stack};
    for (const char* s : {"a1", "a2"}) {
        ops::PlannedServer ps;
        ps.name = s;
        ps.rack = "a";
        r.servers.push_back(ps);
    }
    plan.racks.push_back(r);
    return plan;
}

struct Harness : test::OpsHarness {
    Harness() : OpsHarness({"a1", "a2"}) {}
    test::FakeServerState& a(const char* name) { return connector.servers.at(name); }
    ops::ConfigChangeResult set(ops::ConfigChanges changes, const std::string& stack = "") {
        ops::ConfigChange change;
        change.target.stack = stack;
        change.changes = std::move(changes);
        return ops::config_change_plan(plan_with(), change, env);
    }
    std::vector<std::string> names(const char* server) {
        std::vector<std::string> out;
        for (const auto& i : a(server).instances) {
            out.push_back(i.name);
        }
        return out;
    }
};

} // namespace

TEST_CASE("config set stores on every server and re-releases the running slug", "[ops]") {
    Harness h;
    ops::deploy_plan(plan_with(), {}, h.env);
    REQUIRE(h.builder.builds == 1);
    ops::ConfigChangeResult r = h.set({{"SECRET", "s3cr3t"}, {"MODE", "server"}});

    CHECK(r.description == "config set MODE, SECRET");
    CHECK(r.stored_on == std::vector<std::string>{"a1", "a2"});
    for (const char* s : {"a1", "a2"}) {
        CHECK(h.a(s).config["shop/production"] ==
              std::map<std::string, std::string>{{"MODE", "server"}, {"SECRET", "s3cr3t"}});
        // v1 runs the merged config: the server's wins over the manifest's.
        CHECK(h.a(s).release_config.at(1) ==
              std::map<std::string, std::string>{
                  {"GREETING", "hi"}, {"MODE", "server"}, {"SECRET", "s3cr3t"}});
    }
    CHECK(h.builder.builds == 1); // no build
    REQUIRE(r.release);
    CHECK(r.release->stacks.at(0).version == 1);
    CHECK(h.names("a1") == std::vector<std::string>{"shop.production.app.web.v1.1",
                                                    "shop.production.app.web.v1.2",
                                                    "shop.production.app.worker.v1.1"});
    const Deployment& d = h.a("a2").deployments.at(1).first;
    CHECK(d.description == "config set MODE, SECRET");
    CHECK(d.who == "dev@laptop");
    CHECK(d.slug_sha256 == "sha-0123456-app");
    CHECK(d.status == "succeeded");
    // The value is in no event wm reported.
    for (const auto& e : h.reporter.events()) {
        CHECK(e.message.find("s3cr3t") == std::string::npos);
    }
    // A later deploy keeps the server's config.
    h.builder.commit = "fedcba9876543210fedcba9876543210fedcba98";
    ops::deploy_plan(plan_with(), {}, h.env);
    CHECK(h.a("a1").release_config.at(2).at("SECRET") == "s3cr3t");
}

TEST_CASE("config set -s stores in the stack's store, which wins over the app env's", "[ops]") {
    Harness h;
    ops::deploy_plan(plan_with(), {}, h.env);
    h.set({{"MODE", "env"}});
    h.set({{"MODE", "stack"}}, "app");
    CHECK(h.a("a1").config["shop/production/app"].at("MODE") == "stack");
    CHECK(h.a("a1").release_config.at(2).at("MODE") == "stack");
    CHECK(h.a("a1").deployments.at(2).first.description == "config set MODE");
}

TEST_CASE("config unset re-releases without the variable; nothing running only stores", "[ops]") {
    Harness h;
    ops::ConfigChangeResult first = h.set({{"TOKEN", "t"}});
    CHECK_FALSE(first.release);
    CHECK(h.a("a2").config["shop/production"].at("TOKEN") == "t");
    CHECK(h.a("a1").instances.empty());
    ops::deploy_plan(plan_with(), {}, h.env);
    CHECK(h.a("a1").release_config.at(0).at("TOKEN") == "t");
    ops::ConfigChangeResult r = h.set({{"TOKEN", std::nullopt}});
    CHECK(r.description == "config unset TOKEN");
    CHECK(h.a("a1").config["shop/production"].empty());
    CHECK(h.a("a1").release_config.at(1).count("TOKEN") == 0);
}

TEST_CASE("a failed re-release puts the stores back and keeps the old release", "[ops]") {
    Harness h;
    h.set({{"MODE", "old"}});
    ops::deploy_plan(plan_with(), {}, h.env);
    h.a("a2").fail_step = "wait_healthy";
    CHECK_THROWS_WITH(h.set({{"MODE", "new"}, {"EXTRA", "x"}}),
                      Catch::StartsWith("3 of 3 new instance(s) not healthy:"));
    for (const char* s : {"a1", "a2"}) {
        CHECK(h.a(s).config["shop/production"] ==
              std::map<std::string, std::string>{{"MODE", "old"}});
        CHECK_FALSE(h.a(s).lease);
    }
    CHECK(h.names("a1") == std::vector<std::string>{"shop.production.app.web.v0.1",
                                                    "shop.production.app.web.v0.2",
                                                    "shop.production.app.worker.v0.1"});
    CHECK(h.a("a1").deployments.at(1).first.status == "failed");
}

TEST_CASE("config set refuses bad names and oversized values before connecting", "[ops]") {
    Harness h;
    CHECK_THROWS_WITH(h.set({{"A-B", "x"}}), "config A-B: not a variable name (letters, digits "
                                             "and _, not starting with a digit)");
    CHECK_THROWS_WITH(h.set({{"BIG", std::string(200000, 'x')}}),
                      "config BIG: value of 200000 bytes is over the limit of 131072 bytes for "
                      "NAME=VALUE (Linux MAX_ARG_STRLEN)");
    CHECK(h.a("a1").calls.empty());
}

TEST_CASE("scale replaces only the scaled service and the count survives deploys", "[ops]") {
    Harness h;
    ops::deploy_plan(plan_with(), {}, h.env);
    ops::ScaleRequest req;
    req.counts = {{"web", 3}};
    ops::Rolled r = ops::scale_plan(plan_with(), req, h.env);
    CHECK(r.version == 0);
    CHECK(r.counts == std::map<std::string, int>{{"web", 3}, {"worker", 1}});
    CHECK(h.names("a2") == std::vector<std::string>{
                               "shop.production.app.worker.v0.1", "shop.production.app.web.v0.3",
                               "shop.production.app.web.v0.4", "shop.production.app.web.v0.5"});
    CHECK(h.a("a1").scale["shop/production/app"].at("web").instances == 3);
    CHECK(h.a("a1").scale["shop/production/app"].at("web").manifest == 2);
    // Every server's event log says who scaled what (`wm logs` shows it).
    for (const char* server : {"a1", "a2"}) {
        REQUIRE(h.a(server).logs.size() == 1);
        const rack::LogLine& event = h.a(server).logs.front();
        CHECK(event.stack + " " + event.service + " " + event.instance + " " + event.line ==
              "app scale v0 web=3 by dev@laptop");
    }
    // A deploy keeps 3 while the manifest still says 2; a new manifest count wins.
    h.builder.commit = "fedcba9876543210fedcba9876543210fedcba98";
    ops::deploy_plan(plan_with(2), {}, h.env);
    CHECK(h.a("a1").instances.size() == 4);
    h.builder.commit = "aaaaaaa876543210fedcba9876543210fedcba98";
    ops::deploy_plan(plan_with(4), {}, h.env);
    CHECK(h.a("a1").instances.size() == 5);
}

TEST_CASE("scale refuses web=0, unknown services and several stacks", "[ops]") {
    Harness h;
    ops::deploy_plan(plan_with(), {}, h.env);
    ops::ScaleRequest req;
    req.counts = {{"web", 0}};
    CHECK_THROWS_WITH(ops::scale_plan(plan_with(), req, h.env),
                      "web=0 would leave the platform alias without instances; scale it to 1 or "
                      "more");
    req.counts = {{"cron", 2}};
    CHECK_THROWS_WITH(ops::scale_plan(plan_with(), req, h.env),
                      "stack app has no service 'cron' (services: web, worker)");
    CHECK(ops::parse_count("worker=0") == std::pair<std::string, int>{"worker", 0});
    CHECK_THROWS_WITH(ops::parse_count("web=x"),
                      "'web=x': expected SERVICE=COUNT with a count of 0 to 100 (e.g. web=3)");
}

TEST_CASE("restart gives fresh instances of the same release", "[ops]") {
    Harness h;
    ops::deploy_plan(plan_with(), {}, h.env);
    ops::RestartRequest req;
    req.service = "worker";
    std::vector<ops::Rolled> r = ops::restart_plan(plan_with(), req, h.env);
    REQUIRE(r.size() == 1);
    CHECK(h.names("a1") == std::vector<std::string>{"shop.production.app.web.v0.1",
                                                    "shop.production.app.web.v0.2",
                                                    "shop.production.app.worker.v0.2"});
    ops::restart_plan(plan_with(), {}, h.env);
    CHECK(h.names("a1") == std::vector<std::string>{"shop.production.app.web.v0.3",
                                                    "shop.production.app.web.v0.4",
                                                    "shop.production.app.worker.v0.3"});
    CHECK(h.a("a1").deployments.size() == 1); // no new release
}
