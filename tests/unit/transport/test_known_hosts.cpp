#include <wm/base/fs.hpp>
#include <wm/transport/known_hosts.hpp>

#include <catch2/catch.hpp>

using namespace wm;

TEST_CASE("host_field normalises host and port") {
    CHECK(transport::host_field("10.0.0.5") == "10.0.0.5");
    CHECK(transport::host_field("10.0.0.5:22") == "10.0.0.5");
    CHECK(transport::host_field("10.0.0.5:2222") == "[10.0.0.5]:2222");
    CHECK(transport::host_field("[10.0.0.5]:2222") == "[10.0.0.5]:2222");
    CHECK(transport::host_field("[10.0.0.5]:22") == "10.0.0.5");
    CHECK(transport::host_field("fd00::1") == "fd00::1");
}

TEST_CASE("forget_host removes only that host's lines") {
    fs::TempDir dir;
    auto file = dir.path() / "known_hosts";
    fs::write_file_atomic(
        file,
        "# keep\n10.0.0.5 ssh-ed25519 AAAA\nwmt1,10.0.0.5 ecdsa-sha2-nistp256 BBBB\n"
        "[10.0.0.5]:2222 ssh-ed25519 CCCC\n10.0.0.6 ssh-ed25519 DDDD\n",
        0600);
    CHECK(transport::forget_host(file, "10.0.0.5") == 2);
    CHECK(fs::read_file(file) ==
          "# keep\n[10.0.0.5]:2222 ssh-ed25519 CCCC\n10.0.0.6 ssh-ed25519 DDDD\n");
    CHECK(transport::forget_host(file, "10.0.0.5:2222") == 1);
    CHECK(transport::forget_host(file, "nope") == 0);
    CHECK(transport::forget_host(dir.path() / "missing", "x") == 0);
}
