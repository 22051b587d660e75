#include <wm/base/fs.hpp>
#include <wm/manifest/load.hpp>
#include <wm/manifest/scaffold.hpp>
#include <wm/manifest/templates.hpp>

#include <catch2/catch.hpp>

using namespace wm::manifest;

TEST_CASE("app names are sanitised into DNS labels") {
    CHECK(app_name_from("My_Shop 2") == "my-shop-2");
    CHECK(app_name_from("--shop--") == "shop");
    CHECK(app_name_from("...") == "app");
    CHECK(app_name_from(std::string(70, 'a')) == std::string(63, 'a'));
}

TEST_CASE("the scaffold is a valid manifest for every kind of repository") {
    for (const char* buildpack : {"", "node", "procfile"}) {
        ScaffoldFacts facts{"shop", buildpack, "package.json", false};
        std::string text = render_scaffold(facts);
        Manifest m = load_string(text, "widemesh.yaml");
        CHECK(m.app == "shop");
        CHECK(m.stacks.at(0).name == "app");
    }
    std::string node = render_scaffold({"shop", "node", "package.json", false});
    CHECK(node.find("    # Detected: node (package.json).\n") != std::string::npos);
    CHECK(node.find("    # buildpacks: [node]\n") != std::string::npos);
}

TEST_CASE("templates render placeholders and refuse unknown ones") {
    CHECK(render_template("a {{x}} b {{y}}", {{"x", "1"}, {"y", "2"}}) == "a 1 b 2");
    CHECK_THROWS_WITH(render_template("{{z}}", {}), "template: no value for placeholder \"{{z}}\"");
    CHECK_THROWS_WITH(find_template("nope"), "no embedded template \"nope\"");
}
