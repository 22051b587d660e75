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

TEST_CASE("the built-in buildpacks declare what their slugs run on") {
    auto [name, packages] = GENERATE(table<std::string, Packages>({
        {"node", {"nodejs"}},
        {"python", {"python3"}},
        {"ruby", {"ruby", "ruby-bundler", "ruby-webrick"}},
        {"php", {"php-cli"}},
        {"java", {"openjdk-17-jre-headless"}},
        {"static", {}},
        {"go", {}},
        {"procfile", {}},
    }));
    INFO("buildpack " << name);
    wm::fs::TempDir tmp;
    wm::build::materialise_builtin(name, tmp.path() / name);
    CHECK(wm::build::read_run_packages(tmp.path() / name) == packages);
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
