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
    REQUIRE(back.process_types == std::map<std::string, std::string>{
                                      {"web", "python app.py"}, {"worker", "python worker.py"}});
    REQUIRE(back.release_command == "python release.py");
    REQUIRE(wm::test::serve_and_get(front.slug_path, front.process_types.at("web"), "/") ==
            "hello from polyglot frontend\n");
    REQUIRE(wm::test::serve_and_get(back.slug_path, back.process_types.at("web"), "/headers",
                                    "--setenv GREETING hi")
                .find("\"host\"") != std::string::npos);
}

namespace {

// Copies tests/fixtures/apps/<name> into `dest` and commits it.
stdfs::path fixture_repo(const std::string& name, const stdfs::path& dest) {
    stdfs::copy(stdfs::path(WM_SOURCE_DIR) / "tests" / "fixtures" / "apps" / name, dest,
                stdfs::copy_options::recursive);
    wm::test::git_commit_all(dest, "fixture " + name);
    return dest;
}

wm::build::BuildResult build_with(const stdfs::path& repo, const stdfs::path& state,
                                  wm::CaptureReporter& reporter,
                                  std::map<std::string, std::string> config = {}) {
    wm::build::BuildRequest req;
    req.repo_dir = repo;
    req.stack.name = "web";
    req.stack.config = std::move(config);
    req.state_dir = state;
    wm::PosixProcessRunner runner;
    return wm::build::build_stack(req, runner, reporter);
}

} // namespace

TEST_CASE("go: the single main package under cmd/ builds and serves", "[build][slow]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = fixture_repo("go-cmd", tmp.path() / "repo");
    wm::CaptureReporter reporter;
    auto result = build_with(repo, tmp.path() / "state", reporter);
    INFO(wm::test::build_log(reporter));
    REQUIRE(result.process_types.at("web") == "bin/app");
    REQUIRE(wm::test::build_log(reporter).find("go build -trimpath -o bin/web ./cmd/web") !=
            std::string::npos);
    REQUIRE(wm::test::serve_and_get(result.slug_path, "bin/app", "/") == "hello from go cmd/web");
}

TEST_CASE("go: several main packages need GO_INSTALL_PACKAGE_SPEC, named in the error",
          "[build][slow]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = fixture_repo("go-cmd", tmp.path() / "repo");
    stdfs::create_directories(repo / "cmd" / "worker");
    wm::fs::write_file_atomic(repo / "cmd" / "worker" / "main.go",
                              "package main\n\nfunc main() {}\n");
    wm::test::git_commit_all(repo, "a worker");
    wm::CaptureReporter reporter;
    REQUIRE_THROWS(build_with(repo, tmp.path() / "state", reporter));
    std::string log = wm::test::build_log(reporter);
    INFO(log);
    REQUIRE(log.find("several main packages under cmd/ (./cmd/web ./cmd/worker); choose with "
                     "GO_INSTALL_PACKAGE_SPEC") != std::string::npos);
    wm::CaptureReporter again;
    auto result = build_with(repo, tmp.path() / "state", again,
                             {{"GO_INSTALL_PACKAGE_SPEC", "./cmd/web ./cmd/worker"}});
    REQUIRE(wm::test::serve_and_get(result.slug_path, "bin/web", "/") == "hello from go cmd/web");
}
