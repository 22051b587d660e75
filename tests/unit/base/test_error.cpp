#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/base/hash.hpp>
#include <wm/base/process.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>

TEST_CASE("error context chain reads outer-most first", "[base]") {
    wm::Error e =
        wm::Error("connection refused").with_context("step connect").with_context("server wmt1");
    REQUIRE(e.describe() == "server wmt1: step connect: connection refused");
    REQUIRE(e.exit_code() == wm::ExitCode::failure);
}

TEST_CASE("server and step are fields, set once by the innermost and printed first", "[base]") {
    wm::Error e = wm::Error("exited with status 1").with_context("stack web").with_step("release");
    wm::Error outer = e.with_server("wmt1").with_step("deploy").with_server("wmt2");
    REQUIRE(outer.server() == "wmt1");
    REQUIRE(outer.step() == "release");
    REQUIRE(outer.describe() == "server wmt1: step release: stack web: exited with status 1");
    try {
        wm::at_step("wmt3", "upload", [] { wm::fail("disk full"); });
        FAIL("no throw");
    } catch (const wm::Error& caught) {
        REQUIRE(caught.describe() == "server wmt3: step upload: disk full");
    }
}

TEST_CASE("with_context wraps a failing step", "[base]") {
    try {
        wm::with_context("loading widemesh.yaml", [] { wm::fail("bad {}", 1); });
        FAIL("no throw");
    } catch (const wm::Error& e) {
        REQUIRE(e.describe() == "loading widemesh.yaml: bad 1");
    }
}

TEST_CASE("shell_quote quotes only what needs it", "[base]") {
    REQUIRE(wm::shell_quote("abc/def-1.2") == "abc/def-1.2");
    REQUIRE(wm::shell_quote("it's") == "'it'\\''s'");
    REQUIRE(wm::shell_quote("") == "''");
    REQUIRE(wm::shell_join({"sv", "-w", "5", "up x"}) == "sv -w 5 'up x'");
}

TEST_CASE("atomic write keeps mode and content", "[base]") {
    wm::fs::TempDir dir;
    auto p = dir.path() / "sub" / "creds.json";
    wm::fs::write_file_atomic(p, "secret", 0600);
    REQUIRE(wm::fs::read_file(p) == "secret");
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    REQUIRE((st.st_mode & 0777) == 0600);
}

TEST_CASE("an abandoned atomic write leaves the old file", "[base]") {
    wm::fs::TempDir dir;
    auto p = dir.path() / "f";
    wm::fs::write_file_atomic(p, "old");
    {
        wm::fs::AtomicFile f(p);
        f.write("new");
    }
    REQUIRE(wm::fs::read_file(p) == "old");
}

TEST_CASE("process runner captures output, exit code and stdin", "[base]") {
    wm::PosixProcessRunner runner;
    wm::ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", "cat; echo err >&2; exit 3"};
    spec.stdin_data = "hello";
    wm::ProcessResult r = runner.run(spec);
    REQUIRE(r.exit_code == 3);
    REQUIRE(r.out == "hello");
    REQUIRE(r.err == "err\n");
}

TEST_CASE("process runner kills on timeout", "[base]") {
    wm::PosixProcessRunner runner;
    wm::ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", "sleep 5"};
    spec.timeout = std::chrono::milliseconds(200);
    wm::ProcessResult r = runner.run(spec);
    REQUIRE(r.timed_out);
}

TEST_CASE("sha256 of known input", "[base]") {
    REQUIRE(wm::fs::sha256_hex("abc") ==
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("HMAC-SHA256 of RFC 4231 test case 2", "[base]") {
    REQUIRE(wm::fs::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    REQUIRE(wm::fs::hmac_sha256_hex("other key", "what do ya want for nothing?") !=
            wm::fs::hmac_sha256_hex("Jefe", "what do ya want for nothing?"));
}
