#include <wm/rack/fanout.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using namespace wm;

TEST_CASE("fan_out keeps each server's value or error, and bounds parallelism") {
    std::atomic<int> running{0}, peak{0};
    std::vector<std::string> servers{"a", "b", "c", "d", "e", "f"};
    CaptureReporter rep;
    std::function<int(size_t)> fn = [&](size_t i) {
        int now = ++running;
        int p = peak;
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        --running;
        if (i == 1) {
            throw Error("cannot connect").with_hint("check the address");
        }
        if (i == 2) {
            throw std::runtime_error("boom");
        }
        if (i == 3) {
            throw 42;
        }
        return static_cast<int>(i) * 10;
    };
    auto out = rack::fan_out<int>(servers, fn, rep, {3, true});
    REQUIRE(out.size() == 6);
    CHECK(peak <= 3);
    CHECK(peak >= 2);
    CHECK(out[0].ok());
    CHECK(*out[0].value == 0);
    CHECK(out[5].server == "f");
    CHECK(*out[5].value == 50);
    CHECK(rack::reason_of(*out[1].error) == "cannot connect; hint: check the address");
    CHECK(std::string(out[2].error->what()) == "boom");
    CHECK(std::string(out[3].error->what()) == "unknown failure");
    int ok = 0, failed = 0;
    for (const auto& e : rep.events()) {
        ok += e.kind == "progress" && e.message == "ok";
        failed += e.kind == "progress" && e.message.rfind("failed: ", 0) == 0;
    }
    CHECK(ok == 3);
    CHECK(failed == 3);
}

TEST_CASE("run_parallel with nothing to do") {
    CHECK(rack::run_parallel(0, 8, [](size_t) {}).empty());
}
