#include "git_fixture.hpp"

#include <wm/base/fs.hpp>
#include <wm/source/source.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>

namespace stdfs = std::filesystem;
using wm::test::sh;

namespace {

/// A repo with nested dirs, an executable, a symlink, an ignored file and two commits.
stdfs::path make_repo(const stdfs::path& dir) {
    stdfs::create_directories(dir);
    sh("mkdir -p app/src && echo 'v1' > app/server.js && printf '#!/bin/sh\\n' > app/run.sh && "
       "chmod +x app/run.sh && echo x > app/src/lib.js && ln -s src/lib.js app/link.js && "
       "echo '*.log' > .gitignore && echo top > README",
       dir);
    wm::test::git_commit_all(dir, "first commit");
    sh("echo v2 > app/server.js && git commit -qam 'second: server v2' && git tag v2", dir);
    return dir;
}

wm::source::ExportRequest request(const stdfs::path& repo, const stdfs::path& dest) {
    wm::source::ExportRequest req;
    req.repo_dir = repo;
    req.subpath = "app";
    req.dest = dest;
    return req;
}

} // namespace

TEST_CASE("export writes the committed tree of the stack path", "[source]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = make_repo(tmp.path() / "repo");
    auto result = wm::source::export_tree(request(repo, tmp.path() / "out"));
    stdfs::path out = tmp.path() / "out";
    REQUIRE(wm::fs::read_file(out / "server.js") == "v2\n");
    REQUIRE(stdfs::is_symlink(out / "link.js"));
    REQUIRE(stdfs::read_symlink(out / "link.js") == "src/lib.js");
    struct stat sb {};
    REQUIRE(::stat((out / "run.sh").c_str(), &sb) == 0);
    REQUIRE((sb.st_mode & 0777) == 0755);
    REQUIRE(!stdfs::exists(out / "README")); // outside the stack path
    REQUIRE(result.commit.subject == "second: server v2");
    REQUIRE(result.commit.author == "Ada Tester <ada@example.com>");
    REQUIRE(result.commit.commit == sh("git rev-parse HEAD", repo).substr(0, 40));
    REQUIRE(result.commit.short_commit == result.commit.commit.substr(0, 7));
    REQUIRE_FALSE(result.dirty);
}

TEST_CASE("the stack path is relative to the given directory inside the repo", "[source]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = make_repo(tmp.path() / "repo");
    wm::source::ExportRequest req;
    req.repo_dir = repo / "app"; // a manifest kept below the repository root
    req.subpath = "src";
    req.dest = tmp.path() / "out";
    wm::source::export_tree(req);
    REQUIRE(wm::fs::read_file(tmp.path() / "out" / "lib.js") == "x\n");
    req.subpath = "../..";
    req.dest = tmp.path() / "out2";
    REQUIRE_THROWS_WITH(wm::source::export_tree(req),
                        "stack path '../..' is outside the repository");
}

TEST_CASE("export of an older ref ignores the working tree", "[source]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = make_repo(tmp.path() / "repo");
    sh("echo dirty > app/server.js", repo);
    auto req = request(repo, tmp.path() / "out");
    req.ref = "HEAD~1";
    auto result = wm::source::export_tree(req);
    REQUIRE(wm::fs::read_file(tmp.path() / "out" / "server.js") == "v1\n");
    REQUIRE(result.commit.subject == "first commit");
}

TEST_CASE("tracked changes are refused unless allowed, untracked files are not changes",
          "[source]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = make_repo(tmp.path() / "repo");
    sh("echo new > app/untracked.txt && echo log > app/x.log", repo);
    REQUIRE(wm::source::dirty_files(repo, "app").empty());
    sh("echo dirty > app/server.js && echo changed > app/src/lib.js", repo);
    REQUIRE(wm::source::dirty_files(repo, "app") ==
            std::vector<std::string>{"app/server.js", "app/src/lib.js"});
    REQUIRE(wm::source::dirty_files(repo, "other").empty());
    try {
        wm::source::export_tree(request(repo, tmp.path() / "out"));
        FAIL("no error");
    } catch (const wm::Error& e) {
        REQUIRE(std::string(e.what()) ==
                "working tree has uncommitted changes to tracked files (app/server.js, "
                "app/src/lib.js); commit them or pass --allow-dirty");
    }
    auto req = request(repo, tmp.path() / "dirty");
    req.allow_dirty = true;
    auto result = wm::source::export_tree(req);
    REQUIRE(result.dirty);
    REQUIRE(wm::fs::read_file(tmp.path() / "dirty" / "server.js") == "dirty\n");
    REQUIRE(!stdfs::exists(tmp.path() / "dirty" / "untracked.txt"));
    REQUIRE(stdfs::is_symlink(tmp.path() / "dirty" / "link.js"));
}

TEST_CASE("submodules are exported from their commit; one not available locally fails",
          "[source]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = make_repo(tmp.path() / "repo");
    sh("mkdir sub && cd sub && git init -q && echo s > s.txt && mkdir d && echo deep > d/x && "
       "git add -A && git commit -qm sub",
       tmp.path());
    sh("git -c protocol.file.allow=always submodule add -q ../sub app/vendor/sub && "
       "git commit -qm 'add submodule'",
       repo);
    // a later commit of the submodule that the superproject does not record: not exported
    sh("echo later > vendor/sub/s.txt && cd vendor/sub && git commit -qam later", repo / "app");
    auto req = request(repo, tmp.path() / "out");
    req.allow_dirty = true; // the submodule's checkout moved on: the recorded commit still wins
    auto result = wm::source::export_tree(req);
    REQUIRE(result.submodules == std::vector<std::string>{"vendor/sub"});
    REQUIRE(wm::fs::read_file(tmp.path() / "out" / "vendor" / "sub" / "s.txt") == "s\n");
    REQUIRE(wm::fs::read_file(tmp.path() / "out" / "vendor" / "sub" / "d" / "x") == "deep\n");

    // A fresh clone without `submodule update --init`: the commit is not here.
    sh("git clone -q repo clone", tmp.path());
    std::string id = sh("git rev-parse --short=7 HEAD:app/vendor/sub", repo).substr(0, 7);
    REQUIRE_THROWS_WITH(
        wm::source::export_tree(request(tmp.path() / "clone", tmp.path() / "out2")),
        "submodule app/vendor/sub needs commit " + id +
            ", which is not in the local repository; run `git submodule update --init "
            "--recursive` and try again");
    sh("git -c protocol.file.allow=always submodule update -q --init", tmp.path() / "clone");
    auto cloned = wm::source::export_tree(request(tmp.path() / "clone", tmp.path() / "out3"));
    REQUIRE(cloned.submodules == std::vector<std::string>{"vendor/sub"});
    REQUIRE(wm::fs::read_file(tmp.path() / "out3" / "vendor" / "sub" / "s.txt") == "s\n");
}

TEST_CASE("export-ignore and .slugignore leave files out; escaping symlinks are listed",
          "[source]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = make_repo(tmp.path() / "repo");
    sh("printf 'app/docs export-ignore\\n*.psd export-ignore\\n' > .gitattributes && "
       "mkdir -p app/docs app/test/fixtures app/img && echo d > app/docs/a.md && "
       "echo p > app/img/logo.psd && echo png > app/img/logo.png && echo f > app/test/fixtures/x "
       "&& "
       "echo big > app/img/big.tiff && "
       "printf '# not in the slug\\n/test/\\n*.tiff\\n\\n' > app/.slugignore && "
       "ln -s ../../README app/up.txt && ln -s /etc/hostname app/abs && "
       "ln -s ../src/lib.js app/img/ok.js && git add -A && git commit -qm assets",
       repo);
    auto result = wm::source::export_tree(request(repo, tmp.path() / "out"));
    stdfs::path out = tmp.path() / "out";
    REQUIRE(!stdfs::exists(out / "docs"));
    REQUIRE(!stdfs::exists(out / "img" / "logo.psd"));
    REQUIRE(stdfs::exists(out / "img" / "logo.png"));
    REQUIRE(!stdfs::exists(out / "test"));
    REQUIRE(!stdfs::exists(out / "img" / "big.tiff"));
    REQUIRE(result.slugignored == std::vector<std::string>{"img/big.tiff", "test"});
    REQUIRE(result.outside_symlinks ==
            std::vector<std::string>{"abs -> /etc/hostname", "up.txt -> ../../README"});
    sh("printf '!keep\\n' > app/.slugignore && git commit -qam negation", repo);
    REQUIRE_THROWS_WITH(wm::source::export_tree(request(repo, tmp.path() / "out2")),
                        ".slugignore:1: '!keep': negations are not supported (as on Heroku)");
}

TEST_CASE("bad refs and stack paths are named", "[source]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = make_repo(tmp.path() / "repo");
    auto req = request(repo, tmp.path() / "out");
    req.subpath = "nope";
    std::string short_id = sh("git rev-parse --short=7 HEAD", repo).substr(0, 7);
    REQUIRE_THROWS_WITH(wm::source::export_tree(req),
                        "stack path 'nope' does not exist in commit " + short_id);
    req.subpath = "app";
    req.ref = "no-such-branch";
    REQUIRE_THROWS_WITH(wm::source::export_tree(req),
                        Catch::StartsWith("cannot resolve ref 'no-such-branch'"));
    REQUIRE_THROWS_WITH(wm::source::describe_commit(tmp.path(), "HEAD"),
                        tmp.path().string() + " is not inside a git repository");
}

TEST_CASE("clone_at checks out a tag of a local repository", "[source]") {
    wm::fs::TempDir tmp;
    stdfs::path repo = make_repo(tmp.path() / "repo");
    stdfs::path dest = tmp.path() / "clone";
    wm::source::clone_at("file://" + repo.string(), "HEAD~1", dest);
    REQUIRE(wm::fs::read_file(dest / "app" / "server.js") == "v1\n");
    stdfs::remove_all(dest);
    wm::source::clone_at(repo.string(), "v2", dest);
    REQUIRE(wm::fs::read_file(dest / "app" / "server.js") == "v2\n");
}
