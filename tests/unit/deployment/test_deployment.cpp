#include <wm/base/error.hpp>
#include <wm/deployment/deployment.hpp>

#include <catch2/catch.hpp>

using wm::Deployment;

namespace {

// A record as wm wrote it before Deployment was a type (schema 1), rolled back to once.
const char* k_stored = R"({
  "schema": 1, "app": "shop", "environment": "production", "stack": "web", "version": 3,
  "kind": "deploy", "commit": "0123456789abcdef0123456789abcdef01234567",
  "short_commit": "0123456", "subject": "a change", "author": "Dev <dev@example.test>",
  "dirty": false, "slug_sha256": "ab12", "who": "dev@laptop",
  "started": "2026-11-30T10:00:00Z", "finished": "2026-11-30T10:01:00Z",
  "status": "succeeded", "error": "", "servers": {"wmt1": "ok", "wmt2": "ok"},
  "services": {"eu": [{"name": "web"}]}, "fingerprint": "f00d",
  "activations": [{"kind": "rollback", "from": 4, "who": "dev@laptop",
                   "when": "2026-11-30T11:00:00Z"}]
})";

} // namespace

TEST_CASE("a stored record reads into a Deployment and writes back the same JSON", "[deployment]") {
    nlohmann::json stored = nlohmann::json::parse(k_stored);
    Deployment d = wm::deployment_from_json(stored);
    CHECK(d.app == "shop");
    CHECK(d.version == 3);
    CHECK(d.short_commit == "0123456");
    CHECK(d.servers.at("wmt2") == "ok");
    CHECK(d.services["eu"][0]["name"] == "web");
    REQUIRE(d.activations.size() == 1);
    CHECK(d.activations[0].from == 4);
    CHECK(wm::to_json(d) == stored);
}

TEST_CASE("missing keys keep their defaults; a wrong type names the key", "[deployment]") {
    Deployment d = wm::deployment_from_json({{"version", 2}, {"status", "failed"}});
    CHECK(d.version == 2);
    CHECK(d.status == "failed");
    CHECK(d.kind == "deploy");
    CHECK(d.schema == wm::k_deployment_schema);
    CHECK_FALSE(wm::to_json(d).contains("activations"));
    CHECK_THROWS_WITH(wm::deployment_from_json({{"version", "three"}}),
                      Catch::StartsWith("deployment record: \"version\": "));
    CHECK_THROWS_WITH(wm::deployment_from_json(nlohmann::json::array()),
                      "deployment record: not a JSON object");
}
