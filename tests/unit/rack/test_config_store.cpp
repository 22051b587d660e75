// The config store of `wm config` and the counts of `wm scale`: commands by exact text, parsers.
#include <wm/base/error.hpp>
#include <wm/rack/config_store.hpp>
#include <wm/rack/layout.hpp>

#include <catch2/catch.hpp>

using namespace wm;
using namespace wm::rack;

TEST_CASE("config store: paths per app env and per stack", "[rack]") {
    const Layout l{"/r"};
    const AppEnv shop{"shop", "production"};
    CHECK(l.config_store_dir(shop, "") == "/r/apps/shop/production/.config");
    CHECK(l.config_store_dir(shop, "api") == "/r/apps/shop/production/api/config");
    CHECK(l.scale_file(shop, "api") == "/r/apps/shop/production/api/scale.json");
}

TEST_CASE("config store: commands by exact text, no value in them", "[rack]") {
    CHECK(read_store_command("/r/apps/shop/production/.config") ==
          "cd /r/apps/shop/production/.config 2>/dev/null || exit 0; for f in *; do "
          "[ -f \"$f\" ] || continue; printf '%s %s\\n' \"$f\" $(wc -c < \"$f\"); cat \"$f\"; "
          "done");
    CHECK(prepare_store_command("/r/c") == "mkdir -p /r/c && chmod 0700 /r/c");
    CHECK(prepare_store_command("/r/my dir") == "mkdir -p '/r/my dir' && chmod 0700 '/r/my dir'");
    CHECK(unset_store_command("/r/c", {"A", "B_2"}) == "rm -f /r/c/A /r/c/B_2");
}

TEST_CASE("config store: the hash key command by exact text, its output checked", "[rack]") {
    CHECK(hash_key_command("/r/c") ==
          "d=/r/c && f=\"$d/.hash_key\" && if [ ! -s \"$f\" ]; then mkdir -p \"$d\" && chmod "
          "0700 \"$d\" && (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \\n' > "
          "\"$f.$$\") && { ln \"$f.$$\" \"$f\" 2>/dev/null; rm -f \"$f.$$\"; }; fi && cat "
          "\"$f\"");
    std::string key(64, 'a');
    CHECK(parse_hash_key(key) == key);
    CHECK(parse_hash_key(key + "\n") == key);
    CHECK_THROWS_WITH(parse_hash_key(""), "the app env's hash key is not 64 hex digits (remove "
                                          "the file .hash_key of its config store to make a new "
                                          "one)");
    CHECK_THROWS(parse_hash_key(std::string(64, 'g')));
}

TEST_CASE("config store: the listing parses byte-exact", "[rack]") {
    CHECK(parse_store("").empty());
    auto store = parse_store("A 3\nx\nyB 0\nC 2\n\n\n");
    CHECK(store == std::map<std::string, std::string>{{"A", "x\ny"}, {"B", ""}, {"C", "\n\n"}});
    CHECK_THROWS_WITH(parse_store("A 9\nshort"), "config store listing is cut short at A");
    CHECK_THROWS_WITH(parse_store("A"), "config store listing is cut short after 0 variables");
    CHECK_THROWS_WITH(parse_store("A x\n"), "config store listing is cut short after 0 variables");
}

TEST_CASE("config store: names and sizes are checked before anything is sent", "[rack]") {
    CHECK(config_entry_problem("DATABASE_URL", "postgres://x").empty());
    CHECK(config_entry_problem("1X", "v") ==
          "config 1X: not a variable name (letters, digits and _, not starting with a digit)");
    // NAME=VALUE and its NUL: exactly the limit passes, one byte more is refused.
    CHECK(config_entry_problem("BIG", std::string(k_max_env_entry - 5, 'x')).empty());
    CHECK(config_entry_problem("BIG", std::string(k_max_env_entry - 4, 'x')) ==
          "config BIG: value of 131068 bytes is over the limit of 131072 bytes for NAME=VALUE "
          "(Linux MAX_ARG_STRLEN)");
}

TEST_CASE("scale settings: stored JSON and back", "[rack]") {
    ScaleSettings s{{"web", {3, 1}}, {"worker", {0, 2}}};
    std::string text = scale_to_json(s);
    CHECK(text == "{\"schema\":1,\"services\":{\"web\":{\"instances\":3,\"manifest\":1},"
                  "\"worker\":{\"instances\":0,\"manifest\":2}}}\n");
    ScaleSettings back = scale_from_json(text);
    CHECK(back.at("web").instances == 3);
    CHECK(back.at("worker").manifest == 2);
    CHECK(scale_from_json("").empty());
    CHECK(scale_from_json("{\"schema\":2}").empty());
}
