#include "unit/source/git_fixture.hpp"

#include <wm/base/fs.hpp>
#include <wm/ops/source_objects.hpp>
#include <wm/rack/source_commands.hpp>

#include <catch2/catch.hpp>

using namespace wm;
using wm::test::sh;
namespace stdfs = std::filesystem;

namespace {

std::string head(const stdfs::path& repo) { return sh("git rev-parse HEAD", repo).substr(0, 40); }

/// Runs the builder's staging command against a builder rooted in `root`; returns app/'s files.
std::string stage_on_builder(const stdfs::path& root, const std::string& pack,
                             const std::string& commit) {
    rack::Layout l{root.string()};
    sh("mkdir -p " + l.build_dir() + " && " +
       rack::stage_commit_command(l, "shop", "id1", pack, commit, "app"));
    return sh("cd " + l.build_work_dir("id1") + "/app && find . -type f | sort && cat server.js");
}

} // namespace

TEST_CASE("source objects: the whole tree first, then only what a one-line change made", "[ops]") {
    fs::TempDir tmp;
    stdfs::path repo = tmp.path() / "repo";
    stdfs::create_directories(repo);
    sh("mkdir -p app/lib && echo v1 > app/server.js && echo x > app/lib/a.js && "
       "echo 'app: shop' > app/widemesh.yaml && head -c 100000 /dev/urandom > app/big.bin",
       repo);
    test::git_commit_all(repo, "one");
    std::string c1 = head(repo);
    sh("echo v2 > app/server.js && git commit -qam two", repo);
    std::string c2 = head(repo);
    PosixProcessRunner runner;
    stdfs::create_directories(tmp.path() / "p1");
    stdfs::create_directories(tmp.path() / "p2");

    // No commit in common (the builder's is unknown here): the commit and all of its tree.
    auto full =
        ops::pack_missing_objects(runner, repo, c1, {std::string(40, 'f')}, tmp.path() / "p1");
    REQUIRE(full);
    CHECK(full->bases == 0);
    CHECK(full->objects == 8); // commit, 3 trees, 4 blobs
    CHECK(full->bytes > 100000);
    CHECK(stage_on_builder(tmp.path() / "srv", full->pack.string(), c1) ==
          "./big.bin\n./lib/a.js\n./server.js\nv1\n");

    // Against c1: the commit, the two trees above server.js and its new blob; not big.bin.
    auto delta = ops::pack_missing_objects(runner, repo, c2, {c1}, tmp.path() / "p2");
    REQUIRE(delta);
    CHECK(delta->bases == 1);
    CHECK(delta->objects == 4);
    CHECK(delta->bytes < 1000);
    CHECK(stage_on_builder(tmp.path() / "srv", delta->pack.string(), c2) ==
          "./big.bin\n./lib/a.js\n./server.js\nv2\n");

    // Everything there already: no pack.
    CHECK_FALSE(ops::pack_missing_objects(runner, repo, c2, {c2}, tmp.path() / "p2"));
}

TEST_CASE("source objects: the stack's tree is named from the repository's root", "[ops]") {
    fs::TempDir tmp;
    stdfs::path repo = tmp.path() / "repo";
    stdfs::create_directories(repo / "svc" / "web");
    sh("echo x > svc/web/f", repo);
    test::git_commit_all(repo, "one");
    PosixProcessRunner runner;
    CHECK(ops::tree_path(runner, repo, ".") == ".");
    CHECK(ops::tree_path(runner, repo, "svc/web/") == "svc/web");
    CHECK(ops::tree_path(runner, repo / "svc", "web") == "svc/web");
    CHECK(ops::tree_path(runner, repo / "svc", ".") == "svc");
}
