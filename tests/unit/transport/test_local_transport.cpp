#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/transport/factory.hpp>
#include <wm/transport/local_transport.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace wm;

namespace {
unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 07777;
}
} // namespace

TEST_CASE("local transport runs sh with stdin and exit status") {
    auto t = transport::connect_local("here");
    CHECK(t->name() == "here");
    transport::RunOptions opts;
    opts.stdin_data = "secret\n";
    auto r = t->run("read x; echo \"got $x\"; echo oops >&2; exit 3", opts);
    CHECK(r.exit_code == 3);
    CHECK(r.out == "got secret\n");
    CHECK(r.err == "oops\n");
    CHECK_FALSE(r.ok());
}

TEST_CASE("local transport passes a descriptor on as stdin, to its end") {
    fs::TempDir dir;
    fs::write_file_atomic(dir.path() / "in", "one\ntwo\n");
    int in = ::open((dir.path() / "in").c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(in >= 0);
    transport::RunOptions opts;
    opts.stdin_fd = in;
    auto r = transport::LocalTransport().run("wc -l; echo done", opts);
    ::close(in);
    CHECK(r.out == "2\ndone\n");
}

TEST_CASE("local transport runs a command on a pseudo-terminal of its own") {
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    transport::RunOptions opts;
    opts.pty = PtySpec{"vt100", 100, 30};
    opts.stdin_fd = p[0];
    std::string typed = "typed\n";
    REQUIRE(::write(p[1], typed.data(), typed.size()) == 6);
    ::close(p[1]);
    auto r = transport::LocalTransport().run(
        "read x; test -t 0 && test -t 1 && echo \"tty $TERM $(stty size) $x\"; exit 4", opts);
    ::close(p[0]);
    CHECK(r.exit_code == 4);
    // The terminal echoes the input and writes CR LF: one stream, as a terminal shows it.
    CHECK(r.out == "typed\r\ntty vt100 30 100 typed\r\n");
    CHECK(r.err.empty());
}

TEST_CASE("local transport times out") {
    transport::LocalTransport t;
    transport::RunOptions opts;
    opts.timeout = std::chrono::milliseconds(200);
    auto r = t.run("sleep 5", opts);
    CHECK(r.timed_out);
}

TEST_CASE("local transport uploads, writes with mode, reads") {
    fs::TempDir dir;
    auto src = dir.path() / "src.bin";
    std::string big(3 * 1024 * 1024 + 7, 'x');
    fs::write_file_atomic(src, big);
    transport::LocalTransport t;
    std::uint64_t last = 0;
    int calls = 0;
    t.upload(src, (dir.path() / "dst.bin").string(), 0640, [&](std::uint64_t s, std::uint64_t n) {
        last = s;
        ++calls;
        CHECK(n == big.size());
    });
    CHECK(last == big.size());
    CHECK(calls == 4);
    CHECK(t.read_file((dir.path() / "dst.bin").string()) == big);
    CHECK(mode_of(dir.path() / "dst.bin") == 0640);
    t.write_file((dir.path() / "secret").string(), "pw", 0600);
    CHECK(mode_of(dir.path() / "secret") == 0600);
    CHECK(t.read_file((dir.path() / "secret").string()) == "pw");
    CHECK_THROWS_AS(t.read_file((dir.path() / "missing").string()), Error);
}

TEST_CASE("run_checked names server and step") {
    transport::LocalTransport t("box");
    try {
        transport::run_checked(t, "probe", "echo bad >&2; exit 2");
        FAIL("no throw");
    } catch (const Error& e) {
        CHECK(e.describe() == "server box: step probe: exited with status 2:\nbad");
    }
}
