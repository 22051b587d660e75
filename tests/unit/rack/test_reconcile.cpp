// Leftover instances (rack/reconcile.hpp): the survey command by exact text, what it prints
// when run by sh on a layout in a temporary directory, and the decisions taken from it.
#include <wm/rack/reconcile.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

using namespace wm;
using namespace wm::rack;

TEST_CASE("reconcile: the survey command", "[rack]") {
    CHECK(survey_command(Layout{"/r"}, "10.0.0.2") == R"SH(if cd /r/service 2>/dev/null; then
for d in *.*.*.*.v*.*; do
	[ -d "$d" ] || continue
	r=$d; app=${r%%.*}; r=${r#*.}; env=${r%%.*}; r=${r#*.}; stack=${r%%.*}; r=${r#*.*.}; v=${r%%.*}
	f="/r/apps/$app/$env/$stack/deployments/$v.json"
	if [ ! -f "$f" ]; then s=none
	elif grep -q '"status": "failed"' "$f" || grep -qF '"10.0.0.2": "not ' "$f"; then s=gone
	else s=ok; fi
	printf 'inst\t%s\t%s\n' "$d" "$s"
done
fi
if cd /r/locks 2>/dev/null; then
for f in *.lock; do
	[ -f "$f" ] || continue
	printf 'lease\t%s\t' "${f%.lock}"; tr -d '\n' < "$f"; echo
done
fi
true
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

Survey survey_of(const std::vector<std::pair<std::string, std::string>>& instances) {
    std::string out;
    for (const auto& [name, verdict] : instances) {
        out += "inst\t" + name + "\t" + verdict + "\n";
    }
    return parse_survey(out);
}

} // namespace

TEST_CASE("reconcile: the survey names each instance's verdict and every lease", "[rack]") {
    fs::path root = fs::temp_directory_path() / "wm-test-reconcile";
    fs::remove_all(root);
    Layout l{root.string()};
    AppEnv shop{"shop", "prod"}, blog{"blog", "prod"};
    for (const char* name :
         {"shop.prod.app.web.v1.1", "shop.prod.app.web.v2.1", "shop.prod.app.worker.v3.1",
          "shop.prod.app.web.v4.1", "shop.prod.app.web.v5.1", "proxy"}) {
        fs::create_directories(l.instance_dir(name));
    }
    write(l.deployments_dir(shop, "app") + "/v1.json", record("succeeded", "ok"));
    write(l.deployments_dir(shop, "app") + "/v2.json", record("failed", "not activated"));
    write(l.deployments_dir(shop, "app") + "/v3.json", record("partial", "not switched: x"));
    write(l.deployments_dir(shop, "app") + "/v4.json", record("partial", "ok"));
    write(l.lock_file(blog), "{\n  \"holder\": \"me@here\"\n}\n");
    CHECK(run_sh(survey_command(l, "a")) == "inst\tshop.prod.app.web.v1.1\tok\n"
                                            "inst\tshop.prod.app.web.v2.1\tgone\n"
                                            "inst\tshop.prod.app.web.v4.1\tok\n"
                                            "inst\tshop.prod.app.web.v5.1\tnone\n"
                                            "inst\tshop.prod.app.worker.v3.1\tgone\n"
                                            "lease\tblog.prod\t{  \"holder\": \"me@here\"}\n");
    fs::remove_all(root);
}

TEST_CASE("reconcile: parsing the survey", "[rack]") {
    Survey s = parse_survey("inst\tshop.prod.app.web.v12.3\tok\n"
                            "inst\tproxy\tnone\n"
                            "inst\tshop.prod.app.web.vx.1\tnone\n"
                            "lease\tshop.prod\t{}\n"
                            "garbage\n");
    REQUIRE(s.instances.size() == 1);
    CHECK(s.instances[0].app_env == AppEnv{"shop", "prod"});
    CHECK(s.instances[0].stack == "app");
    CHECK(s.instances[0].version == 12);
    CHECK(s.instances[0].verdict == "ok");
    REQUIRE(s.leases.size() == 1);
    CHECK(s.leases.at(AppEnv{"shop", "prod"}) == "{}");
}

TEST_CASE("reconcile: from the records alone", "[rack]") {
    Survey s = survey_of({{"shop.prod.app.web.v1.1", "ok"},
                          {"shop.prod.app.web.v2.1", "gone"},
                          {"shop.prod.app.worker.v3.1", "gone"}});
    CHECK(needs_routes(s, {}));
    CHECK(leftovers(s, {}, {}) ==
          std::vector<std::string>{"shop.prod.app.web.v2.1", "shop.prod.app.worker.v3.1"});
    // One version with a record: nothing to look up, nothing to stop.
    CHECK_FALSE(needs_routes(
        survey_of({{"shop.prod.app.web.v1.1", "ok"}, {"shop.prod.app.web.v1.2", "ok"}}), {}));
}

TEST_CASE("reconcile: a version without a record goes only when another one owns the stack",
          "[rack]") {
    // A worker-only stack: the dead deploy's v2 beside the recorded v1.
    Survey dead =
        survey_of({{"shop.prod.jobs.worker.v1.1", "ok"}, {"shop.prod.jobs.worker.v2.1", "none"}});
    CHECK(needs_routes(dead, {}));
    CHECK(leftovers(dead, {}, {}) == std::vector<std::string>{"shop.prod.jobs.worker.v2.1"});
    // Nothing else runs: kept (its deploy may have stopped the old ones before it died).
    Survey alone = survey_of({{"shop.prod.jobs.worker.v2.1", "none"}});
    CHECK(leftovers(alone, {}, {}).empty());
}

TEST_CASE("reconcile: the proxy's routes decide which version serves", "[rack]") {
    // Switched before its deploy died: v2 (no record) serves, the recorded v1 is left over.
    Survey s = survey_of({{"shop.prod.app.web.v1.1", "ok"},
                          {"shop.prod.app.worker.v1.1", "ok"},
                          {"shop.prod.app.web.v2.1", "none"},
                          {"shop.prod.app.worker.v2.1", "none"}});
    CHECK(leftovers(s, {}, {"shop.prod.app.web.v2.1"}) ==
          std::vector<std::string>{"shop.prod.app.web.v1.1", "shop.prod.app.worker.v1.1"});
    // Not switched: v1 serves, v2 goes.
    CHECK(leftovers(s, {}, {"shop.prod.app.web.v1.1"}) ==
          std::vector<std::string>{"shop.prod.app.web.v2.1", "shop.prod.app.worker.v2.1"});
}

TEST_CASE("reconcile: an app env whose lease is live is left alone", "[rack]") {
    Survey s = survey_of({{"shop.prod.app.web.v1.1", "ok"},
                          {"shop.prod.app.web.v2.1", "none"},
                          {"blog.prod.app.web.v3.1", "gone"}});
    std::set<AppEnv> leased{{"shop", "prod"}};
    CHECK_FALSE(needs_routes(s, leased));
    CHECK(leftovers(s, leased, {}) == std::vector<std::string>{"blog.prod.app.web.v3.1"});
}
