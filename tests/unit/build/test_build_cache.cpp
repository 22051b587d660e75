#include "build_fixture.hpp"

#include <catch2/catch.hpp>

namespace stdfs = std::filesystem;
using wm::test::sh;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("node: an unchanged lockfile restores node_modules from the cache", "[build][slow]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = wm::test::example_repo("node", tmp.path() / "repo");
    wm::CaptureReporter cold;
    auto first = wm::test::build_example(repo, "node", tmp.path() / "state", cold);
    REQUIRE(contains(wm::test::build_log(cold), "cache miss: installing dependencies"));
    sh("echo '// v2' >> server.js && git commit -qam 'second commit'", repo);
    wm::CaptureReporter warm;
    auto second = wm::test::build_example(repo, "node", tmp.path() / "state", warm);
    std::string log = wm::test::build_log(warm);
    INFO(log);
    REQUIRE(contains(log, "cache hit: node_modules for package-lock.json"));
    REQUIRE_FALSE(contains(log, "npm ci"));
    REQUIRE_FALSE(second.reused);
    REQUIRE(second.sha256 != first.sha256);
    REQUIRE(wm::test::serve_and_get(second.slug_path, second.process_types.at("web"), "/health")
                .starts_with("ok, up "));
}

TEST_CASE("python: an unchanged requirements.txt reuses the venv", "[build][slow]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = wm::test::example_repo("python", tmp.path() / "repo");
    wm::CaptureReporter cold;
    wm::test::build_example(repo, "python", tmp.path() / "state", cold);
    sh("echo '# v2' >> app.py && git commit -qam 'second commit'", repo);
    wm::CaptureReporter warm;
    wm::test::build_example(repo, "python", tmp.path() / "state", warm);
    REQUIRE(contains(wm::test::build_log(warm), "cache hit: .venv for requirements"));
}

TEST_CASE("the same commit gives the same sha256, and a second build reuses the slug",
          "[build][slow]") {
    std::string name = GENERATE("python", "node");
    wm::fs::TempDir tmp;
    stdfs::path repo = wm::test::example_repo(name, tmp.path() / "repo");
    wm::CaptureReporter r1, r2, r3;
    auto a = wm::test::build_example(repo, name, tmp.path() / "state-a", r1);
    auto b = wm::test::build_example(repo, name, tmp.path() / "state-b", r2);
    REQUIRE_FALSE(b.reused);
    REQUIRE(a.sha256 == b.sha256);
    REQUIRE(a.release_json == b.release_json);
    auto c = wm::test::build_example(repo, name, tmp.path() / "state-a", r3);
    REQUIRE(c.reused);
    REQUIRE(c.sha256 == a.sha256);
    REQUIRE(c.process_types == a.process_types);
    REQUIRE(contains(wm::test::build_log(r3), "reusing the build of " + a.source.short_commit));
    REQUIRE_FALSE(contains(wm::test::build_log(r3), "compiling"));
}

TEST_CASE("a dirty tree is refused, and built and marked with allow_dirty", "[build]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = wm::test::example_repo("static", tmp.path() / "repo");
    sh("echo '<p>changed</p>' >> index.html", repo);
    wm::build::BuildRequest req;
    req.repo_dir = repo;
    req.stack.name = "web";
    req.state_dir = tmp.path() / "state";
    wm::PosixProcessRunner runner;
    wm::CaptureReporter reporter;
    REQUIRE_THROWS_WITH(wm::build::build_stack(req, runner, reporter),
                        "working tree has uncommitted changes to tracked files (index.html); "
                        "commit them or pass --allow-dirty");
    req.allow_dirty = true;
    auto result = wm::build::build_stack(req, runner, reporter);
    REQUIRE(result.source.dirty);
    REQUIRE(result.release_json["dirty"] == true);
    REQUIRE(contains(wm::test::serve_and_get(result.slug_path, result.process_types.at("web"), "/"),
                     "<p>changed</p>"));
    REQUIRE_FALSE(stdfs::exists(tmp.path() / "state" / "cache" / "builds")); // never reused
}

TEST_CASE("a custom buildpack from a git URL with #tag runs, with config in ENV_DIR",
          "[build][slow]") {
    wm::fs::TempDir tmp;
    stdfs::path bp = tmp.path() / "bp";
    stdfs::copy(stdfs::path(WM_SOURCE_DIR) / "tests/fixtures/apps/custom-buildpack", bp,
                stdfs::copy_options::recursive);
    wm::test::git_commit_all(bp, "buildpack v1");
    sh("git tag v1 && echo v2 > VERSION && git commit -qam v2", bp);
    stdfs::path app = tmp.path() / "app";
    stdfs::create_directories(app);
    sh("echo hello > hello.txt", app);
    wm::test::git_commit_all(app, "app");
    wm::build::BuildRequest req;
    req.repo_dir = app;
    req.stack.name = "custom";
    req.stack.buildpacks = {"file://" + bp.string() + "#v1"};
    req.stack.config = {{"CUSTOM_VAR", "from-config"}};
    req.state_dir = tmp.path() / "state";
    wm::PosixProcessRunner runner;
    wm::CaptureReporter reporter;
    auto result = wm::build::build_stack(req, runner, reporter);
    REQUIRE(result.buildpacks == req.stack.buildpacks);
    REQUIRE(contains(wm::test::build_log(reporter), "custom hello buildpack v1"));
    std::string answer =
        wm::test::serve_and_get(result.slug_path, result.process_types.at("web"), "/answer.txt");
    REQUIRE(answer == "hello\nv1\nCUSTOM_VAR=from-config\n");
}

TEST_CASE("an explicit buildpack that does not recognise the app is an error", "[build]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = wm::test::example_repo("static", tmp.path() / "repo");
    wm::build::BuildRequest req;
    req.repo_dir = repo;
    req.stack.name = "web";
    req.stack.buildpacks = {"node"};
    req.state_dir = tmp.path() / "state";
    wm::PosixProcessRunner runner;
    wm::CaptureReporter reporter;
    REQUIRE_THROWS_WITH(wm::build::build_stack(req, runner, reporter),
                        "node buildpack: no package.json");
    req.stack.formula = "dockerfile";
    REQUIRE_THROWS_WITH(wm::build::build_stack(req, runner, reporter),
                        "formula 'dockerfile' is not supported by wm build yet (use formula: "
                        "buildpack)");
    req.stack.formula = "buildpack";
    req.stack.buildpacks = {"cobol"};
    REQUIRE_THROWS_WITH(wm::build::build_stack(req, runner, reporter),
                        Catch::StartsWith("unknown buildpack 'cobol' "
                                          "(built-in: go, java, node, php, procfile, python, "
                                          "ruby, static;"));
}
