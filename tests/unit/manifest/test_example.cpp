// The repository's widemesh.example.yaml is the reference of every key: it must stay valid.
#include <wm/manifest/load.hpp>
#include <wm/manifest/resolve.hpp>

#include <catch2/catch.hpp>

using namespace wm::manifest;

TEST_CASE("widemesh.example.yaml loads and validates") {
    auto result = check_file(WM_SOURCE_DIR "/widemesh.example.yaml");
    std::string problems;
    for (const auto& p : result.problems) {
        problems += p.format() + "\n";
    }
    CHECK(problems == "");
    REQUIRE(result.manifest);
    const Manifest& m = *result.manifest;
    CHECK(m.app == "shop");
    CHECK(m.racks.size() == 3);
    CHECK(m.environments.size() == 2);
    CHECK(m.stacks.size() == 2);
    CHECK(m.endpoints.size() == 1);
}

TEST_CASE("the example's production environment resolves per region") {
    Manifest m = load_file(WM_SOURCE_DIR "/widemesh.example.yaml");
    ResolvedEnvironment eu = resolve(m, "production", "eu-west");
    REQUIRE(eu.racks.size() == 1);
    CHECK(eu.racks[0].alias == "shop-production.eu.example.net");
    CHECK(eu.racks[0].stacks[0].services[0].instances == 3);
    CHECK(eu.racks[0].stacks[0].config.at("LOG_LEVEL") == "warn");
    ResolvedEnvironment all = resolve(m, "production");
    REQUIRE(all.racks.size() == 2);
    CHECK(all.racks[1].stacks[0].services[0].instances == 2);
    CHECK(all.racks[1].stacks[0].config.at("LOG_LEVEL") == "info");
}
