#include <wm/base/text.hpp>

#include <catch2/catch.hpp>

using Parts = std::vector<std::string>;

TEST_CASE("split keeps empty parts between separators, not after the last one", "[base]") {
    REQUIRE(wm::split("shop.prod.app.web.v3.1", '.') ==
            Parts{"shop", "prod", "app", "web", "v3", "1"});
    REQUIRE(wm::split("a\t\tc", '\t') == Parts{"a", "", "c"});
    REQUIRE(wm::split("a,b,", ',') == Parts{"a", "b"});
    REQUIRE(wm::split(",a", ',') == Parts{"", "a"});
    REQUIRE(wm::split("abc", ',') == Parts{"abc"});
    REQUIRE(wm::split("", ',').empty());
}
