#include "../source/git_fixture.hpp"

#include <wm/base/fs.hpp>
#include <wm/slug/slug.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>

namespace stdfs = std::filesystem;
using wm::test::sh;

namespace {

void make_tree(const stdfs::path& dir, const char* umask) {
    stdfs::create_directories(dir);
    sh(std::string("umask ") + umask +
           "; mkdir -p b/c a && echo hello > b/c/file.txt && echo top > z.txt && "
           "printf '#!/bin/sh\\necho hi\\n' > a/run && chmod u+x a/run && ln -s b/c/file.txt link "
           "&& mkfifo fifo",
       dir);
}

unsigned mode_of(const stdfs::path& p) {
    struct stat sb {};
    ::lstat(p.c_str(), &sb);
    return sb.st_mode & 07777;
}

} // namespace

TEST_CASE("equal trees give byte-identical slugs whatever the mtimes and umask", "[slug]") {
    wm::fs::TempDir tmp;
    make_tree(tmp.path() / "one", "022");
    make_tree(tmp.path() / "two", "077");
    sh("touch -d '2001-02-03' two/z.txt two/b", tmp.path());
    auto a = wm::slug::pack(tmp.path() / "one", tmp.path() / "one.tar.zst");
    auto b = wm::slug::pack(tmp.path() / "two", tmp.path() / "two.tar.zst");
    REQUIRE(a.sha256 == b.sha256);
    REQUIRE(a.sha256 == wm::fs::sha256_file(tmp.path() / "one.tar.zst"));
    REQUIRE(a.entries == 7); // a, a/run, b, b/c, b/c/file.txt, link, z.txt (no fifo)
}

TEST_CASE("slug entries are sorted, owned by 0, fixed mtime, tree at the root", "[slug]") {
    wm::fs::TempDir tmp;
    make_tree(tmp.path() / "app", "022");
    wm::slug::pack(tmp.path() / "app", tmp.path() / "s.tar.zst");
    std::string listing = sh("tar --zstd -tvf s.tar.zst --full-time", tmp.path());
    REQUIRE(listing == "drwxr-xr-x 0/0               0 1980-01-01 00:00:00 a/\n"
                       "-rwxr-xr-x 0/0              18 1980-01-01 00:00:00 a/run\n"
                       "drwxr-xr-x 0/0               0 1980-01-01 00:00:00 b/\n"
                       "drwxr-xr-x 0/0               0 1980-01-01 00:00:00 b/c/\n"
                       "-rw-r--r-- 0/0               6 1980-01-01 00:00:00 b/c/file.txt\n"
                       "lrwxrwxrwx 0/0               0 1980-01-01 00:00:00 link -> b/c/file.txt\n"
                       "-rw-r--r-- 0/0               4 1980-01-01 00:00:00 z.txt\n");
}

TEST_CASE("unpack restores files, modes and symlinks", "[slug]") {
    wm::fs::TempDir tmp;
    make_tree(tmp.path() / "app", "022");
    wm::slug::pack(tmp.path() / "app", tmp.path() / "s.tar.zst");
    stdfs::path out = tmp.path() / "out" / "app";
    wm::slug::unpack(tmp.path() / "s.tar.zst", out);
    REQUIRE(wm::fs::read_file(out / "b/c/file.txt") == "hello\n");
    REQUIRE(mode_of(out / "a/run") == 0755);
    REQUIRE(mode_of(out / "z.txt") == 0644);
    REQUIRE(stdfs::read_symlink(out / "link") == "b/c/file.txt");
    REQUIRE(sh("./a/run", out) == "hi\n");
}

TEST_CASE("unpack refuses paths that escape the destination", "[slug]") {
    wm::fs::TempDir tmp;
    sh("mkdir -p x/y && echo evil > x/evil && cd x/y && tar --zstd -P -cf ../../bad.tar.zst "
       "../evil",
       tmp.path());
    REQUIRE_THROWS_WITH(wm::slug::unpack(tmp.path() / "bad.tar.zst", tmp.path() / "out"),
                        "slug " + (tmp.path() / "bad.tar.zst").string() +
                            " contains an unsafe path '../evil'");
}
