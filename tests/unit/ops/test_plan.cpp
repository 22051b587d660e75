#include <wm/manifest/load.hpp>
#include <wm/ops/plan.hpp>

#include <catch2/catch.hpp>

using namespace wm;

namespace {

const char* k_two_servers = R"(app: shop
racks:
  eu:
    servers:
      - 10.0.0.5
      - {address: 10.0.0.6, user: deploy, port: 2222, key: /k, name: eu-2}
environments:
  production: {racks: [eu]}
)";

} // namespace

TEST_CASE("deploy plans SSH targets with an unset user and port, so ~/.ssh/config applies",
          "[ops]") {
    manifest::Manifest m = manifest::load_string(k_two_servers, "widemesh.yaml");
    ops::DeployPlan plan = ops::make_plan(m, "production");
    auto servers = plan.servers();
    REQUIRE(servers.size() == 2);
    const transport::SshTarget& plain = servers[0].ssh;
    CHECK(servers[0].name == "10.0.0.5");
    CHECK_FALSE(servers[0].local);
    CHECK(plain.name == "10.0.0.5");
    CHECK(plain.address == "10.0.0.5");
    CHECK(plain.user.empty()); // not "root": a User line of ~/.ssh/config may apply
    CHECK(plain.port == 0);    // not 22: a Port line of ~/.ssh/config may apply
    CHECK(plain.key.empty());
    const transport::SshTarget& given = servers[1].ssh;
    CHECK(servers[1].name == "eu-2");
    CHECK(given.name == "eu-2");
    CHECK(given.user == "deploy");
    CHECK(given.port == 2222);
    CHECK(given.key == "/k");
}

TEST_CASE("the local rack plans one server named local, without an SSH target", "[ops]") {
    manifest::Manifest m = manifest::load_string("app: shop\n", "widemesh.yaml");
    ops::DeployPlan plan = ops::make_plan(m, "");
    auto servers = plan.servers();
    REQUIRE(servers.size() == 1);
    CHECK(servers[0].name == "local");
    CHECK(servers[0].local);
    CHECK(servers[0].ssh.address.empty());
    CHECK(servers[0].http_port == 7480);
}

TEST_CASE("the platform alias is <app>-<environment>.<alias_domain>", "[ops]") {
    manifest::Manifest local = manifest::load_string("app: shop\n", "widemesh.yaml");
    CHECK(ops::plan_urls(ops::make_plan(local, "")) ==
          std::vector<std::string>{"http://shop-production.localhost:7480"});
    manifest::Manifest m = manifest::load_string(
        "app: shop\nracks:\n  eu: {alias_domain: apps.example.com, servers: [10.0.0.5]}\n"
        "environments:\n  staging: {racks: [eu]}\n",
        "widemesh.yaml");
    ops::DeployPlan plan = ops::make_plan(m, "staging");
    CHECK(plan.app_env() == AppEnv{"shop", "staging"});
    CHECK(ops::plan_urls(plan) ==
          std::vector<std::string>{"http://shop-staging.apps.example.com (servers: 10.0.0.5)"});
}

TEST_CASE("a rack without alias_domain prints the localhost alias and what to do", "[ops]") {
    manifest::Manifest m =
        manifest::load_string("app: shop\nracks:\n  eu: {servers: [10.0.0.5, 10.0.0.6]}\n"
                              "environments:\n  production: {racks: [eu]}\n",
                              "widemesh.yaml");
    CHECK(ops::plan_urls(ops::make_plan(m, "production")) ==
          std::vector<std::string>{
              "http://shop-production.localhost (servers: 10.0.0.5, 10.0.0.6; no alias_domain: "
              "send this Host header to a server, or set racks.eu.alias_domain)"});
}
