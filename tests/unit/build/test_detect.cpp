#include <wm/build/detect.hpp>
#include <wm/build/procfile.hpp>

#include <catch2/catch.hpp>

namespace stdfs = std::filesystem;
using wm::build::Outcome;

namespace {

stdfs::path fixture(const std::string& name) {
    return stdfs::path(WM_SOURCE_DIR) / "tests" / "fixtures" / "apps" / name;
}
stdfs::path example(const std::string& name) {
    return stdfs::path(WM_SOURCE_DIR) / "examples" / name;
}

} // namespace

TEST_CASE("each example is claimed by its buildpack, deciding file named", "[build]") {
    auto [dir, buildpack, file] = GENERATE(table<std::string, std::string, std::string>({
        {"node", "node", "package.json"},
        {"python", "python", "requirements.txt"},
        {"ruby", "ruby", "Gemfile"},
        {"go", "go", "go.mod"},
        {"java", "java", "system.properties"},
        {"php", "php", "index.php"},
        {"static", "static", "index.html"},
        {"procfile", "procfile", "Procfile"},
        {"polyglot/frontend", "node", "package.json"},
        {"polyglot/backend", "python", "requirements.txt"},
    }));
    auto report = wm::build::run_detectors(example(dir));
    REQUIRE(report.decided);
    CHECK(report.decided->outcome == Outcome::mine);
    CHECK(report.decided->buildpack == buildpack);
    CHECK(report.decided->file == file);
    for (size_t i = 0; i + 1 < report.tried.size(); ++i) {
        CHECK(report.tried[i].outcome == Outcome::not_mine);
    }
}

TEST_CASE("the chain order decides ambiguous apps", "[build]") {
    auto report = wm::build::run_detectors(fixture("ambiguous-node-static"));
    REQUIRE(report.decided->buildpack == "node");
    REQUIRE(report.tried.size() == 1);
}

TEST_CASE("mine but broken stops the chain with the reason", "[build]") {
    auto [dir, reason] = GENERATE(table<std::string, std::string>({
        {"node-no-entry", "node buildpack: package.json has no scripts.start and there is no "
                          "server.js, index.js or Procfile to run"},
        {"python-no-entry",
         "python buildpack: no Procfile and no app.py, main.py or server.py to run"},
        {"ruby-no-lock", "ruby buildpack: Gemfile.lock is missing; run `bundle lock --local` "
                         "(Debian 12: `bundle3.1 lock --local`) and commit it"},
        {"go-no-module", "go buildpack: go.mod has no module line"},
        {"java-maven", "java buildpack: pom.xml needs Maven Central, which cannot be reached from "
                       "here; use a dependency-free javac project (system.properties and src/)"},
        {"procfile-bad", "procfile buildpack: Procfile:1: expected 'name: command'"},
    }));
    auto report = wm::build::run_detectors(fixture(dir));
    REQUIRE(report.decided->outcome == Outcome::broken);
    REQUIRE_THROWS_WITH(wm::build::require_match(report, fixture(dir)), reason);
}

TEST_CASE("invalid package.json is broken, not ignored", "[build]") {
    auto report = wm::build::run_detectors(fixture("node-bad-json"));
    REQUIRE(report.decided->outcome == Outcome::broken);
    REQUIRE_THAT(report.decided->reason, Catch::StartsWith("package.json is not valid JSON: "));
}

TEST_CASE("nothing detected names what was looked for", "[build]") {
    auto report = wm::build::run_detectors(fixture("empty"));
    REQUIRE_FALSE(report.decided);
    REQUIRE(report.tried.size() == 8);
    REQUIRE_THROWS_WITH(wm::build::require_match(report, fixture("empty")),
                        Catch::StartsWith("no buildpack detected an app in "));
}

TEST_CASE("Procfiles from Windows editors and Heroku names parse", "[build]") {
    std::vector<std::string> notes;
    auto types = wm::build::parse_procfile(
        "\xEF\xBB\xBFweb: node server.js\r\nworker_email: node mail.js\r\nClock: node c.js\r\n",
        &notes);
    REQUIRE(types == wm::build::ProcessTypes{{"clock", "node c.js"},
                                             {"web", "node server.js"},
                                             {"worker-email", "node mail.js"}});
    REQUIRE(notes ==
            std::vector<std::string>{"Procfile:2: process type \"worker_email\" runs as service "
                                     "\"worker-email\" (service names are DNS labels)",
                                     "Procfile:3: process type \"Clock\" runs as service \"clock\" "
                                     "(service names are DNS labels)"});
}

TEST_CASE("a process type defined twice names both lines", "[build]") {
    REQUIRE_THROWS_WITH(wm::build::parse_procfile("web: a\n\nweb: b\n"),
                        "Procfile:3: process type \"web\" is defined twice (first at line 1)");
    // Two names that map to the same service name are the same process type.
    REQUIRE_THROWS_WITH(wm::build::parse_procfile("worker_a: a\nworker-a: b\n"),
                        "Procfile:2: process type \"worker-a\" is defined twice (first at line 1)");
    REQUIRE_THROWS_WITH(wm::build::parse_procfile("_hidden: a\n"),
                        "Procfile:1: process type \"_hidden\" cannot be a service name (letters, "
                        "digits, '-' and '_', not starting or ending with '-' or '_', at most 63 "
                        "characters)");
}

TEST_CASE("Procfile and bin/release output parse into process types", "[build]") {
    auto types = wm::build::parse_procfile("# comment\n\nweb: node server.js --port $PORT\n"
                                           "worker:python w.py\nrelease: ./migrate\n");
    REQUIRE(types == wm::build::ProcessTypes{{"release", "./migrate"},
                                             {"web", "node server.js --port $PORT"},
                                             {"worker", "python w.py"}});
    REQUIRE_THROWS_WITH(wm::build::parse_procfile("web: a\n: b\n"),
                        "Procfile:2: expected 'name: command'");
    auto released = wm::build::parse_release_output(
        "---\naddons: []\ndefault_process_types:\n  web: \"bin/app\"\n  worker: w --x\n"
        "config_vars:\n  A: b\n  PATH: bin:/usr/bin:/bin\n");
    REQUIRE(released.process_types ==
            wm::build::ProcessTypes{{"web", "bin/app"}, {"worker", "w --x"}});
    REQUIRE(released.config_vars ==
            std::map<std::string, std::string>{{"A", "b"}, {"PATH", "bin:/usr/bin:/bin"}});
    REQUIRE(
        wm::build::parse_release_output("---\ndefault_process_types: {}\n").process_types.empty());
}

TEST_CASE("config_vars become defaults under the stack's config; PATH replaces the default") {
    CHECK(wm::build::render_config_vars({{"A", "it's"}, {"PATH", "bin:/usr/bin:/bin"}}) ==
          "# generated by wm from the config_vars of bin/release\n"
          "[ -n \"${A+set}\" ] || export A='it'\\''s'\n"
          "export PATH=bin:/usr/bin:/bin\n");
    CHECK_THROWS_WITH(wm::build::render_config_vars({{"A-B", "x"}}),
                      "bin/release: config_vars name 'A-B' is not an environment variable name");
}
