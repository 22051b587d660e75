// Which releases and slugs a server keeps (rack/retention.hpp): the rule, the commands by exact
// text, and the slug sweep run for real on a temporary layout.
#include <wm/base/fs.hpp>
#include <wm/rack/retention.hpp>
#include <wm/transport/local_transport.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

using namespace wm;
using namespace wm::rack;

namespace {

const Layout k_l{"/r"};
const AppEnv k_shop{"shop", "production"};

// Records v0..: 's' succeeded, 'f' failed, 'r' still running.
std::vector<Deployment> history(const std::string& statuses) {
    std::vector<Deployment> out;
    for (size_t v = 0; v < statuses.size(); ++v) {
        Deployment d;
        d.version = static_cast<int>(v);
        d.status = statuses[v] == 's' ? "succeeded" : statuses[v] == 'f' ? "failed" : "running";
        out.push_back(d);
    }
    return out;
}

void write(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

} // namespace

TEST_CASE("retention: only succeeded deployments count toward keep_releases", "[rack]") {
    // Three failed deploys after a good one never push the good one out.
    CHECK(retained_versions(history("sfff"), 1, 0) == std::set<int>{0});
    CHECK(retained_versions(history("ssfffs"), 2, 5) == std::set<int>{1, 5});
    CHECK(retained_versions(history("ssfffs"), 1, 5) == std::set<int>{1, 5}); // previous kept
    // v4 served, then a rollback re-activated v0, then v5 was deployed: v0 is what served before
    // v5, so it stays and v4 goes.
    std::vector<Deployment> h = history("ssfffs");
    for (size_t v = 0; v < h.size(); ++v) {
        h[v].finished = fmt::format("2026-11-30T10:0{}:00Z", v);
    }
    h.push_back(h.back());
    h.back().version = 6;
    h.back().finished = "2026-11-30T10:09:00Z";
    h[0].activations.push_back({"rollback", 5, "me@ctl", "2026-11-30T10:08:00Z"});
    CHECK(retained_versions(h, 1, 6) == std::set<int>{0, 6});
    CHECK(retained_versions(h, 2, 6) == std::set<int>{0, 5, 6});
    // After a rollback to v1, v1 serves; the newest (v3) stays by keep_releases.
    CHECK(retained_versions(history("ssss"), 1, 1) == std::set<int>{1, 3});
    CHECK(retained_versions(history("sr"), 1, 0) == std::set<int>{0});
    CHECK(retained_versions(history(""), 3, -1).empty());
    CHECK(retained_versions(history("ff"), 3, -1).empty());
}

TEST_CASE("retention: commands by exact text", "[rack]") {
    CHECK(read_deployments_command(k_l, k_shop, "web") ==
          "cd /r/apps/shop/production/web/deployments 2>/dev/null && for f in v*.json; do "
          "[ -f \"$f\" ] && cat \"$f\" && printf '\\036'; done; true");
    CHECK(prune_command(k_l, k_shop, "web", {}) == "true");
    CHECK(prune_command(k_l, k_shop, "web", {2, 1}) ==
          "true && rm -rf /r/apps/shop/production/web/releases/v2 "
          "/r/logs/shop.production.web.*.v2.* && "
          "rm -rf /r/apps/shop/production/web/releases/v1 /r/logs/shop.production.web.*.v1.*");
    CHECK(record_slug_command(k_l, k_shop, "web", 3, "ab12") ==
          "printf '%s\\n' ab12 > /r/apps/shop/production/web/releases/v3/slug");
    CHECK(prune_slugs_command(k_l, 60) ==
          "cd /r/slugs 2>/dev/null || exit 0\n"
          "used=\" $(cat /r/apps/*/*/*/releases/v*/slug 2>/dev/null | tr '\\n' ' ') \"\n"
          "for f in *.tar.zst; do\n"
          "  [ -f \"$f\" ] || continue\n"
          "  s=${f%.tar.zst}\n"
          "  case \"$used\" in *\" $s \"*) continue ;; esac\n"
          "  [ -n \"$(find \"$f\" -mmin +60)\" ] && rm -f \"$f\" && echo \"$s\"\n"
          "done\n"
          "true\n");
}

TEST_CASE("retention: records are read back in one output, damaged ones left out", "[rack]") {
    std::string out = "{\"version\": 2, \"status\": \"failed\"}\n\x1e"
                      "{\"version\": 0, \"status\": \"succeeded\"}\n\x1e"
                      "{\"version\": 1, \"sta\x1e";
    std::vector<Deployment> records = parse_deployments(out);
    REQUIRE(records.size() == 2);
    CHECK(records[0].version == 0);
    CHECK(records[0].status == "succeeded");
    CHECK(records[1].version == 2);
    CHECK(parse_deployments("").empty());
}

TEST_CASE("retention: the slug sweep removes old slugs no release names", "[rack]") {
    fs::TempDir dir("/tmp", "wmslugs-");
    Layout l{dir.path().string()};
    transport::LocalTransport t("local");
    write(dir.path() / "slugs/aaa.tar.zst", "used by shop");
    write(dir.path() / "slugs/bbb.tar.zst", "used by nobody, old");
    write(dir.path() / "slugs/ccc.tar.zst", "used by nobody, just uploaded");
    write(dir.path() / "slugs/ddd.tar.zst", "used by another app");
    std::filesystem::create_directories(l.release_dir(k_shop, "web", 0));
    REQUIRE(t.run(record_slug_command(l, k_shop, "web", 0, "aaa")).ok());
    write(l.release_dir({"blog", "staging"}, "site", 4) + "/slug", "ddd\n");
    for (const char* old : {"aaa", "bbb", "ddd"}) {
        REQUIRE(t.run(std::string("touch -d '2 hours ago' ") + l.slug(old)).ok());
    }
    auto r = t.run(prune_slugs_command(l, 60));
    CHECK(r.ok());
    CHECK(r.out == "bbb\n");
    CHECK(std::filesystem::exists(l.slug("aaa")));
    CHECK(!std::filesystem::exists(l.slug("bbb")));
    CHECK(std::filesystem::exists(l.slug("ccc")));
    CHECK(std::filesystem::exists(l.slug("ddd")));
    CHECK(t.run(prune_slugs_command(Layout{dir.path().string() + "/none"}, 60)).ok());
}
