// SshTransport against a real sshd of the testbed. Hidden ([.ssh]): run by
// tests/ssh/transport_files.sh with TB set, never by the unit label.
#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/transport/factory.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <random>

using namespace wm;

namespace {

std::unique_ptr<transport::Transport> connect_tb(int index) {
    const char* tb = std::getenv("TB");
    REQUIRE(tb != nullptr);
    transport::SshOptions o;
    o.known_hosts = std::filesystem::path(tb) / "known_hosts";
    o.identity_files = {std::filesystem::path(tb) / "id_ed25519"};
    o.connect_timeout = std::chrono::seconds(5);
    NullReporter rep;
    auto addr = "10.78.0." + std::to_string(10 + index);
    return transport::connect({"wmt" + std::to_string(index), addr, "", 0, "", ""}, o, rep);
}

} // namespace

TEST_CASE("ssh: run with streams, exit status, stdin and timeout", "[.ssh]") {
    auto t = connect_tb(5);
    transport::RunOptions o;
    o.stdin_data = "from stdin\n";
    std::string streamed;
    o.on_output = [&](Stream s, std::string_view chunk) {
        streamed += (s == Stream::out ? "out:" : "err:") + std::string(chunk);
    };
    auto r = t->run("cat; hostname; echo oops >&2; exit 7", o);
    CHECK(r.exit_code == 7);
    CHECK(r.out == "from stdin\nwmt5\n");
    CHECK(r.err == "oops\n");
    CHECK(streamed.find("err:oops\n") != std::string::npos);
    transport::RunOptions slow;
    slow.timeout = std::chrono::milliseconds(1000);
    auto start = std::chrono::steady_clock::now();
    auto s = t->run("sleep 30", slow);
    CHECK(s.timed_out);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    for (int i = 0; i < 50; ++i) { // one connection, many channels
        REQUIRE(t->run("true").ok());
    }
}

TEST_CASE("ssh: upload, write_file with mode, read_file", "[.ssh]") {
    auto t = connect_tb(5);
    fs::TempDir dir;
    std::string data(5 * 1024 * 1024 + 3, '\0');
    std::mt19937 rng(42);
    for (auto& c : data) {
        c = static_cast<char>(rng());
    }
    fs::write_file_atomic(dir.path() / "blob", data);
    std::uint64_t last = 0;
    t->upload(dir.path() / "blob", "/srv/blob", 0640,
              [&](std::uint64_t s, std::uint64_t) { last = s; });
    CHECK(last == data.size());
    auto sum = t->run("sha256sum < /srv/blob; stat -c %a /srv/blob; ls /srv | grep -c tmp-").out;
    CHECK(sum == fs::sha256_hex(data) + "  -\n640\n0\n");
    t->write_file("/srv/new/dir/secret", "pw\n", 0600);
    CHECK(t->run("stat -c %a /srv/new/dir/secret").out == "600\n");
    CHECK(t->read_file("/srv/new/dir/secret") == "pw\n");
    t->write_file("/srv/new/dir/secret", "pw2\n", 0600); // replaces
    CHECK(t->read_file("/srv/new/dir/secret") == "pw2\n");
    CHECK_THROWS_WITH(t->read_file("/srv/missing"),
                      "reading /srv/missing: no such file or directory");
    t->run("rm -rf /srv/blob /srv/new");
}
