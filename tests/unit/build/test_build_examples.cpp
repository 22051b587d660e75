#include "build_fixture.hpp"

#include <catch2/catch.hpp>

namespace stdfs = std::filesystem;
using wm::test::sh;

TEST_CASE("every example builds and its web process answers from the extracted slug",
          "[build][slow]") {
    auto [name, buildpack, body] = GENERATE(table<std::string, std::string, std::string>({
        {"node", "node", "hello from node\n"},
        {"python", "python", "hello from python\n"},
        {"ruby", "ruby", "hello from ruby\n"},
        {"go", "go", "hello from go\n"},
        {"php", "php", "hello from php\n"},
        {"java", "java", "hello from java\n"},
        {"static", "static", "hello from static"},
        {"procfile", "procfile", "hello from procfile\n"},
    }));
    INFO("example " << name);
    wm::fs::TempDir tmp;
    stdfs::path repo = wm::test::example_repo(name, tmp.path() / "repo");
    wm::CaptureReporter reporter;
    auto result = wm::test::build_example(repo, name, tmp.path() / "state", reporter);
    INFO(wm::test::build_log(reporter));
    REQUIRE(result.buildpacks == std::vector<std::string>{buildpack});
    REQUIRE(result.slug_path == tmp.path() / "state" / "slugs" / (result.sha256 + ".tar.zst"));
    REQUIRE(result.process_types.count("web") == 1);
    REQUIRE(result.release_json["slug_sha256"] == result.sha256);
    REQUIRE(result.release_json["commit"] == result.source.commit);
    std::string web = result.process_types.at("web");
    std::string got = wm::test::serve_and_get(result.slug_path, web, "/");
    REQUIRE(got.find(body) != std::string::npos);
    REQUIRE(wm::test::serve_and_get(result.slug_path, web, "/health").find("ok") == 0);
}

TEST_CASE("polyglot: two stacks, Procfile web/worker/release, config reaches the app",
          "[build][slow]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = wm::test::example_repo("polyglot", tmp.path() / "repo");
    wm::CaptureReporter reporter;
    auto front =
        wm::test::build_example(repo, "frontend", tmp.path() / "state", reporter, "frontend");
    auto back = wm::test::build_example(repo, "backend", tmp.path() / "state", reporter, "backend");
    REQUIRE(front.buildpacks == std::vector<std::string>{"node"});
    REQUIRE(back.buildpacks == std::vector<std::string>{"python"});
    REQUIRE(back.process_types ==
            std::map<std::string, std::string>{{"web", ".venv/bin/python app.py"},
                                               {"worker", ".venv/bin/python worker.py"}});
    REQUIRE(back.release_command == ".venv/bin/python release.py");
    REQUIRE(wm::test::serve_and_get(front.slug_path, front.process_types.at("web"), "/") ==
            "hello from polyglot frontend\n");
    REQUIRE(wm::test::serve_and_get(back.slug_path, back.process_types.at("web"), "/headers",
                                    "--setenv GREETING hi")
                .find("\"host\"") != std::string::npos);
}
