#include "support/fake_server.hpp"

#include <wm/ops/deploy.hpp>
#include <wm/ops/inspect.hpp>
#include <wm/ops/rollback.hpp>

#include <catch2/catch.hpp>

using namespace wm;

namespace {

ops::DeployPlan one_server_plan() {
    ops::DeployPlan plan;
    plan.app = "shop";
    plan.environment = "production";
    plan.stacks = {"app"};
    ops::PlannedRack r;
    r.resolved.rack.name = "local";
    manifest::StackSpec stack;
    stack.name = "app";
    r.resolved.stacks = {stack};
    r.servers.push_back({"local", "local", true, {}, 7480, 0, "localhost"});
    plan.racks.push_back(r);
    return plan;
}

struct Harness : test::OpsHarness {
    Harness() : OpsHarness({"local"}) {}
    void deploy(const std::string& commit) {
        builder.commit = commit;
        ops::deploy_plan(one_server_plan(), {}, env);
        clock.sleep_for(std::chrono::seconds(60));
    }
};

} // namespace

TEST_CASE("rollback re-activates the previous release without building", "[ops]") {
    Harness h;
    h.deploy("1111111111111111111111111111111111111111");
    h.deploy("2222222222222222222222222222222222222222");
    int builds = h.builder.builds;
    ops::RollbackResult r =
        ops::rollback_plan(one_server_plan(), std::nullopt, std::nullopt, h.env);
    CHECK(r.from == 1);
    CHECK(r.to == 0);
    CHECK(h.builder.builds == builds);
    auto& s = h.connector.servers.at("local");
    REQUIRE(s.instances.size() == 1);
    CHECK(s.instances[0].name == "shop.production.app.web.v0.1");
    CHECK(s.deployments.at(0).first.activations[0].from == 1);
}

TEST_CASE("deployments list marks the running version", "[ops]") {
    Harness h;
    h.deploy("1111111111111111111111111111111111111111");
    h.deploy("2222222222222222222222222222222222222222");
    test::FakeServer server(h.connector.servers.at("local"));
    std::vector<ops::DeploymentView> list = ops::list_deployments(one_server_plan(), server);
    REQUIRE(list.size() == 2);
    CHECK(list[0].record.version == 0);
    CHECK(list[0].current == false);
    CHECK(list[1].current == true);
    CHECK(list[1].record.short_commit == "2222222");
    ops::DeploymentView shown = ops::show_deployment(one_server_plan(), server, "", 1);
    CHECK(shown.log.find("==> Deploying shop to production (1 server)") == 0);
    CHECK_THROWS_WITH(ops::show_deployment(one_server_plan(), server, "", 7),
                      "production: stack app: no deployment v7 (see `wm deployments list`)");
}

TEST_CASE("pick_rollback_version", "[ops]") {
    std::vector<Deployment> records(3);
    for (int v = 0; v < 3; ++v) {
        records[v].version = v;
        records[v].status = v == 1 ? "failed" : "succeeded";
    }
    CHECK(ops::pick_rollback_version(records, 2, std::nullopt) == 0);
    CHECK(ops::pick_rollback_version(records, 2, 1) == 1);
    CHECK_THROWS_WITH(ops::pick_rollback_version(records, 2, 2),
                      "v2 is already the current release");
    CHECK_THROWS_WITH(ops::pick_rollback_version(records, 0, std::nullopt),
                      "no earlier succeeded deployment to roll back to (current: v0)");
    CHECK(ops::parse_version("v12") == 12);
    CHECK_THROWS_WITH(ops::parse_version("x1"), "invalid version 'x1' (expected v<N>, e.g. v3)");
}
