// The bounded drain of old web instances (rack/drain.hpp), by exact text and run locally.
#include <wm/rack/drain.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include <unistd.h>

using namespace wm::rack;

TEST_CASE("drain waits for the ports' connections, at most the limit", "[rack]") {
    CHECK(drain_command({20001, 20002}, 2000) ==
          "drain_end=$(( $(date +%s%N) / 1000000 + 2000 ))\n"
          "while ss -tnH state established '( sport = :20001 or sport = :20002 )' 2>/dev/null | "
          "grep -q .; do\n"
          "\t[ \"$(( $(date +%s%N) / 1000000 ))\" -lt \"$drain_end\" ] || break\n"
          "\tsleep 0.05\n"
          "done\n");
    CHECK(drain_command({}, 1500) == "sleep 1.500\n"); // nothing to look at: the whole limit
    CHECK(drain_command({20001}, 0).empty());
}

TEST_CASE("drain returns at once when nothing is connected", "[rack]") {
    std::string file = "/tmp/wm-test-drain-" + std::to_string(::getpid()) + ".sh";
    std::ofstream(file) << drain_command({1}, 5000); // port 1: nothing listens, nothing connects
    auto start = std::chrono::steady_clock::now();
    int rc = std::system(("/bin/sh " + file).c_str());
    auto took = std::chrono::steady_clock::now() - start;
    std::remove(file.c_str());
    CHECK(rc == 0);
    CHECK(took < std::chrono::seconds(4)); // far below the 5 s limit even on a loaded machine
}
