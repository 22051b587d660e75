// Leftover instances (rack/reconcile.hpp): the command by exact text, and what it finds when
// run by sh on a layout in a temporary directory.
#include <wm/rack/reconcile.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

using namespace wm;
using namespace wm::rack;

TEST_CASE("reconcile: the command that names leftover instances", "[rack]") {
    CHECK(leftovers_command(Layout{"/r"}, "10.0.0.2") == R"SH(cd /r/service 2>/dev/null || exit 0
for d in *.*.*.*.v*.*; do
	[ -d "$d" ] || continue
	r=$d; app=${r%%.*}; r=${r#*.}; env=${r%%.*}; r=${r#*.}; stack=${r%%.*}; r=${r#*.*.}; v=${r%%.*}
	[ -e "/r/locks/$app.$env.lock" ] && continue
	f="/r/apps/$app/$env/$stack/deployments/$v.json"
	[ -f "$f" ] || continue
	if grep -q '"status": "failed"' "$f" || grep -qF '"10.0.0.2": "not ' "$f"; then echo "$d"; fi
done
)SH");
}

namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

std::string run_sh(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> p(::popen(command.c_str(), "r"), ::pclose);
    std::string out;
    char buf[256];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p.get())) > 0;) {
        out.append(buf, n);
    }
    return out;
}

std::string record(const std::string& status, const std::string& here) {
    return "{\n  \"servers\": {\n    \"a\": \"" + here + "\"\n  },\n  \"status\": \"" + status +
           "\"\n}\n";
}

} // namespace

TEST_CASE("reconcile: failed and not-switched versions are leftovers, nothing else", "[rack]") {
    fs::path root = fs::temp_directory_path() / "wm-test-reconcile";
    fs::remove_all(root);
    Layout l{root.string()};
    AppEnv shop{"shop", "prod"}, blog{"blog", "prod"};
    for (const char* name :
         {"shop.prod.app.web.v1.1", "shop.prod.app.web.v2.1", "shop.prod.app.worker.v3.1",
          "shop.prod.app.web.v4.1", "shop.prod.app.web.v5.1", "blog.prod.app.web.v1.1", "proxy"}) {
        fs::create_directories(l.instance_dir(name));
    }
    write(l.deployments_dir(shop, "app") + "/v1.json", record("succeeded", "ok"));
    write(l.deployments_dir(shop, "app") + "/v2.json", record("failed", "not activated"));
    write(l.deployments_dir(shop, "app") + "/v3.json", record("partial", "not switched: x"));
    write(l.deployments_dir(shop, "app") + "/v4.json", record("partial", "ok"));
    // v5 has no record yet (a deploy may be running); blog's lease is held.
    write(l.deployments_dir(blog, "app") + "/v1.json", record("failed", "not activated"));
    write(l.lock_file(blog), "{}");
    CHECK(run_sh(leftovers_command(l, "a")) ==
          "shop.prod.app.web.v2.1\nshop.prod.app.worker.v3.1\n");
    fs::remove_all(root);
}
