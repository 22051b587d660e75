#include <wm/manifest/load.hpp>
#include <wm/manifest/resolve.hpp>

#include <catch2/catch.hpp>

using namespace wm::manifest;

namespace {

const char* k_shop = R"(app: shop
racks:
  eu:
    provider: static
    region: eu-west
    alias_domain: eu.example.net
    servers:
      - root@10.0.0.5:22
      - {address: 10.0.0.6, user: deploy, port: 2222, key: ~/.ssh/id_ed25519}
environments:
  production:
    racks: [eu]
    config: {LOG_LEVEL: info, GREETING: env}
    regions:
      eu-west: {config: {LOG_LEVEL: debug}, instances: {web.web: 3}}
  staging: {}
stacks:
  web:
    release: node migrate.js
    config: {GREETING: hello, PORT_HINT: 1}
    services:
      web: {command: node server.js, instances: 2, memory: 256M, health: {path: /health}}
      worker: node worker.js
      mailer: {command: node send.js, schedule: "@hourly"}
  api:
    path: api
endpoints:
  shop.example.com:
    environments: [production]
    routes: {/: web.web, /api: api}
)";

} // namespace

TEST_CASE("a valid manifest loads with defaults filled") {
    Manifest m = load_string(k_shop, "widemesh.yaml");
    CHECK(m.app == "shop");
    REQUIRE(m.racks.size() == 2);
    CHECK(m.racks[0].name == "local");
    CHECK(m.racks[0].provider == Provider::local);
    CHECK(m.racks[0].region == "local");
    CHECK(m.racks[1].servers[0].user == "root");
    CHECK(m.racks[1].servers[0].address == "10.0.0.5");
    CHECK(m.racks[1].servers[1].port == 2222);
    CHECK(m.racks[1].servers[1].name == "10.0.0.6");
    CHECK(m.find_environment("staging")->racks == std::vector<std::string>{"local"});
    const StackSpec* web = m.find_stack("web");
    REQUIRE(web->services.size() == 3);
    CHECK(web->services[0].memory_bytes == 256u * 1024 * 1024);
    CHECK(web->services[0].health.path == "/health");
    CHECK(web->services[0].health.timeout_seconds == 30);
    CHECK(web->services[1].command == "node worker.js");
    CHECK(web->services[1].instances == 1);
    CHECK(m.endpoints[0].routes[1].stack == "api");
    CHECK(m.endpoints[0].routes[1].service == "web");
    CHECK(m.keep_releases == 5);
}

TEST_CASE("a minimal manifest gets the default stack, environment and local rack") {
    Manifest m = load_string("app: shop\n", "widemesh.yaml");
    REQUIRE(m.stacks.size() == 1);
    CHECK(m.stacks[0].name == "app");
    CHECK(m.stacks[0].path == ".");
    REQUIRE(m.environments.size() == 1);
    CHECK(m.environments[0].name == "production");
    CHECK(m.environments[0].racks == std::vector<std::string>{"local"});
}

TEST_CASE("build: says where deploys build; not said is empty (deploy takes it as rack)") {
    CHECK(load_string("app: shop\n", "w.yaml").build.empty());
    CHECK(load_string("app: shop\nbuild: rack\n", "w.yaml").build == "rack");
    Manifest named = load_string("app: shop\nbuild: server 10.0.0.5\n", "w.yaml");
    CHECK(named.build == "server 10.0.0.5");
    CHECK_THROWS_WITH(load_string("app: shop\nbuild: cloud\n", "w.yaml"),
                      "w.yaml:2:8: build: 'cloud' is not one of: local, rack, server NAME");
}

TEST_CASE("resolve merges config env < stack < region and overrides instance counts") {
    Manifest m = load_string(k_shop, "widemesh.yaml");
    ResolvedEnvironment r = resolve(m, "production");
    REQUIRE(r.racks.size() == 1);
    CHECK(r.racks[0].alias == "shop-production.eu.example.net");
    CHECK(r.racks[0].rack.http_port == 80);
    const StackSpec& web = r.racks[0].stacks[0];
    CHECK(web.config.at("GREETING") == "hello");
    CHECK(web.config.at("LOG_LEVEL") == "debug");
    CHECK(web.services[0].instances == 3);
    CHECK(web.services[1].instances == 1);
    CHECK(r.endpoints.size() == 1);
    CHECK(resolve(m, "staging").endpoints.empty());
    CHECK(resolve(m, "staging").racks[0].alias == "shop-staging.localhost");
}

TEST_CASE("resolve names the known environments and regions") {
    Manifest m = load_string(k_shop, "widemesh.yaml");
    CHECK_THROWS_WITH(resolve(m, "prod"), "unknown environment \"prod\" (known: production, "
                                          "staging)");
    CHECK_THROWS_WITH(resolve(m, "production", "us-east"),
                      "environment \"production\" has no rack in region \"us-east\" (regions: "
                      "eu-west)");
}

TEST_CASE("load_string throws every problem, one per line") {
    CHECK_THROWS_WITH(load_string("app: Shop\nkeep_releses: 3\n", "w.yaml"),
                      "w.yaml:1:6: app: invalid name: \"Shop\" may contain only lowercase "
                      "letters, digits and dashes\n"
                      "w.yaml:2:1: keep_releses: unknown key \"keep_releses\" (did you mean "
                      "\"keep_releases\"?)");
}
