#include "build_fixture.hpp"

#include <wm/build/buildpacks.hpp>
#include <wm/build/run_packages.hpp>
#include <wm/manifest/manifest.hpp>

#include <catch2/catch.hpp>

namespace stdfs = std::filesystem;
using Packages = std::vector<std::string>;

TEST_CASE("run-packages: one package a line, comments and blanks ignored, no duplicates") {
    CHECK(wm::build::parse_run_packages("# what runs\nnodejs\n\n  python3  # the venv\r\n"
                                        "\tnodejs\n#x\nlast") ==
          Packages{"nodejs", "python3", "last"});
    CHECK(wm::build::parse_run_packages("").empty());
    CHECK(wm::build::parse_run_packages("# none\n\n").empty());
}

TEST_CASE("run-packages: a package may name the command it provides") {
    using Needs = std::vector<wm::build::RunNeed>;
    CHECK(wm::build::parse_run_needs("nodejs node # the runtime\nlibpq5\n ruby-bundler\tbundle\n"
                                     "nodejs nodejs\n") ==
          Needs{{"nodejs", "node"}, {"libpq5", ""}, {"ruby-bundler", "bundle"}});
}

TEST_CASE("the built-in buildpacks declare what their slugs run on") {
    using Needs = std::vector<wm::build::RunNeed>;
    auto [name, needs] = GENERATE(table<std::string, Needs>({
        {"node", {{"nodejs", "node"}}},
        {"python", {{"python3", "python3"}}},
        {"ruby", {{"ruby", "ruby"}, {"ruby-bundler", ""}, {"ruby-webrick", ""}}},
        {"php", {{"php-cli", "php"}}},
        {"java", {{"openjdk-17-jre-headless", "java"}}},
        {"static", {}},
        {"go", {}},
        {"procfile", {}},
    }));
    INFO("buildpack " << name);
    wm::fs::TempDir tmp;
    wm::build::materialise_builtin(name, tmp.path() / name);
    CHECK(wm::build::read_run_needs(tmp.path() / name) == needs);
}

TEST_CASE("a rack's run packages: the detected stacks of environments on it, at HEAD") {
    wm::fs::TempDir tmp;
    stdfs::path repo = wm::test::example_repo("node", tmp.path() / "repo");
    // A custom buildpack in the repository declares its own.
    wm::test::sh("mkdir -p pack/bin && printf '#!/bin/sh\\nexit 0\\n' > pack/bin/detect && "
                 "cp pack/bin/detect pack/bin/compile && chmod +x pack/bin/* && "
                 "printf 'libfoo1 # ours\\nnodejs\\n' > pack/run-packages && "
                 "git add -A && git -c user.email=t@example.test -c user.name=T commit -qm pack",
                 repo);
    wm::manifest::Manifest m;
    m.environments.resize(2);
    m.environments[0].racks = {"trio"};
    m.environments[1].racks = {"local"};
    m.stacks.resize(2);
    m.stacks[0].name = "web";
    m.stacks[1].name = "custom";
    m.stacks[1].buildpacks = {"./pack"};
    wm::PosixProcessRunner runner;
    wm::CaptureReporter reporter;
    stdfs::path state = tmp.path() / "state";
    CHECK(wm::build::rack_run_packages(m, "trio", repo, state, runner, reporter) ==
          Packages{"nodejs", "libfoo1"});
    CHECK(wm::build::rack_run_packages(m, "other", repo, state, runner, reporter).empty());
}
