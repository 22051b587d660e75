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
    std::vector<Deployment> records(5);
    for (int v = 0; v < 5; ++v) {
        records[v].version = v;
        records[v].status = v == 1 ? "failed" : v == 3 ? "running" : "succeeded";
    }
    std::vector<int> available{0, 1, 2, 4}; // v3 never finished, nothing pruned yet
    CHECK(ops::pick_rollback_version(records, 4, std::nullopt, available) == 2);
    CHECK(ops::pick_rollback_version(records, 4, 0, available) == 0);
    CHECK(ops::pick_rollback_version(records, 2, 4, available) == 4);
    CHECK_THROWS_WITH(ops::pick_rollback_version(records, 4, 4, available),
                      "v4 is already the current release");
    CHECK_THROWS_WITH(ops::pick_rollback_version(records, 4, 1, available),
                      "v1 failed and never served; versions you can roll back to: v2, v0");
    CHECK_THROWS_WITH(ops::pick_rollback_version(records, 4, 3, available),
                      "v3 did not finish and never served; versions you can roll back to: v2, v0");
    CHECK_THROWS_WITH(ops::pick_rollback_version(records, 4, 0, {2, 4}),
                      "v0 was pruned from the servers (keep_releases keeps the newest succeeded "
                      "releases); versions you can roll back to: v2");
    CHECK_THROWS_WITH(ops::pick_rollback_version(records, 4, 9, available),
                      "no deployment v9 (see `wm deployments list`); versions you can roll back "
                      "to: v2, v0");
    CHECK_THROWS_WITH(ops::pick_rollback_version(records, 0, std::nullopt, available),
                      "no earlier succeeded deployment to roll back to (current: v0); versions "
                      "you can roll back to: v4, v2");
    CHECK_THROWS_WITH(ops::pick_rollback_version(records, 0, std::nullopt, {0}),
                      "no earlier succeeded deployment to roll back to (current: v0); no release "
                      "can serve again: deploy instead");
    CHECK(ops::parse_version("v12") == 12);
    CHECK_THROWS_WITH(ops::parse_version("x1"), "invalid version 'x1' (expected v<N>, e.g. v3)");
}

TEST_CASE("three failed deploys never prune the last good release; rollback returns to it",
          "[ops]") {
    Harness h;
    h.deploy("1111111111111111111111111111111111111111");
    h.deploy("2222222222222222222222222222222222222222");
    auto& s = h.connector.servers.at("local");
    s.fail_step = "wait_healthy";
    for (int i = 0; i < 3; ++i) {
        CHECK_THROWS(h.deploy(std::string(40, static_cast<char>('3' + i))));
    }
    s.fail_step.clear();
    ops::DeployPlan plan = one_server_plan();
    plan.keep_releases = 1;
    h.builder.commit = "6666666666666666666666666666666666666666";
    ops::deploy_plan(plan, {}, h.env);
    // v5 serves; v1 (the good one before it) stays; v0 and the failed v2-v4 are pruned.
    CHECK(s.unpacked == std::set<int>{1, 5});
    CHECK_THROWS_WITH(ops::rollback_plan(one_server_plan(), 3, std::nullopt, h.env),
                      Catch::Contains("v3 failed and never served; versions you can roll back "
                                      "to: v1"));
    ops::RollbackResult r =
        ops::rollback_plan(one_server_plan(), std::nullopt, std::nullopt, h.env);
    CHECK(r.from == 5);
    CHECK(r.to == 1);
}
