#include <wm/base/error.hpp>
#include <wm/state/racks.hpp>

#include <catch2/catch.hpp>

using namespace wm;

TEST_CASE("registered racks: save, load, list, remove") {
    fs::TempDir dir;
    state::Store store(dir.path() / "st");
    CHECK(state::load_racks(store).empty());
    CHECK_FALSE(std::filesystem::exists(store.root())); // reads create nothing
    manifest::RackSpec r;
    r.name = "edge";
    r.region = "eu";
    r.alias_domain = "eu.example.com";
    r.servers = {{"10.0.0.5", "deploy", 2222, "/k", "web1", ""}, {"10.0.0.6", "", 0, "", "", ""}};
    state::save_rack(store, r);
    manifest::RackSpec alpha;
    alpha.name = "alpha";
    state::save_rack(store, alpha);
    auto loaded = state::load_rack(store, "edge");
    REQUIRE(loaded);
    CHECK(state::to_json(*loaded) == state::to_json(r));
    CHECK(loaded->registered);
    CHECK(loaded->provider == manifest::Provider::static_hosts);
    auto all = state::load_racks(store);
    REQUIRE(all.size() == 2);
    CHECK(all[0].name == "alpha");
    auto text = fs::read_file(store.racks_dir() / "edge.json");
    CHECK(text.find("\"schema\": 1") != std::string::npos);
    CHECK(state::remove_rack(store, "edge"));
    CHECK_FALSE(state::remove_rack(store, "edge"));
    CHECK_FALSE(state::load_rack(store, "edge"));
}

TEST_CASE("rack names and damaged records") {
    CHECK_THROWS_WITH(state::check_rack_name("Bad_Name"),
                      "invalid rack name 'Bad_Name': use lower-case letters, digits and '-' (at "
                      "most 63)");
    CHECK_NOTHROW(state::check_rack_name("eu-1"));
    CHECK_THROWS_WITH(
        state::rack_from_json(nlohmann::json{{"servers", {{{"port", "x"}}}}}, "f.json"),
        "f.json: servers[0]: field \"port\" has the wrong type");
    CHECK_THROWS_WITH(state::rack_from_json(nlohmann::json{{"provider", "aws"}}, "f.json"),
                      "f.json: unknown provider \"aws\" (known: local, static)");
}
