#include <wm/base/clock.hpp>
#include <wm/base/error.hpp>
#include <wm/rack/lease.hpp>

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace wm;
using rack::LeaseVerdict;

namespace {
rack::Lease lease(std::string holder, std::string host, int pid, std::string expires) {
    rack::Lease l;
    l.holder = std::move(holder);
    l.control_host = std::move(host);
    l.pid = pid;
    l.started = "2026-11-26T16:00:00Z";
    l.expires = std::move(expires);
    l.what = "deploy production app";
    return l;
}
const auto k_now = *rack::parse_utc("2026-11-26T17:00:00Z");
bool alive(int pid) { return pid == 100; }
} // namespace

TEST_CASE("lease decisions") {
    auto mine = lease("me@laptop", "laptop", 200, "");
    CHECK(rack::judge_lease(std::nullopt, mine, k_now, alive) == LeaseVerdict::free);
    CHECK(rack::judge_lease(lease("me@laptop", "laptop", 200, "2026-11-26T17:05:00Z"), mine, k_now,
                            alive) == LeaseVerdict::ours);
    CHECK(rack::judge_lease(lease("bob@desk", "desk", 100, "2026-11-26T16:59:59Z"), mine, k_now,
                            alive) == LeaseVerdict::expired);
    CHECK(rack::judge_lease(lease("bob@desk", "desk", 100, "garbage"), mine, k_now, alive) ==
          LeaseVerdict::expired);
    // same control host: a dead pid frees it, a live one holds it
    CHECK(rack::judge_lease(lease("me@laptop", "laptop", 101, "2026-11-26T17:05:00Z"), mine, k_now,
                            alive) == LeaseVerdict::dead_holder);
    CHECK(rack::judge_lease(lease("me@laptop", "laptop", 100, "2026-11-26T17:05:00Z"), mine, k_now,
                            alive) == LeaseVerdict::held);
    // another control host: its pid means nothing here, trust it until it expires
    CHECK(rack::judge_lease(lease("bob@desk", "desk", 101, "2026-11-26T17:05:00Z"), mine, k_now,
                            alive) == LeaseVerdict::held);
}

TEST_CASE("lease text, json and time parsing") {
    auto l = lease("bob@desk", "desk", 4242, "2026-11-26T16:10:00Z");
    CHECK(rack::describe_lease(l) == "held by bob@desk (pid 4242 on desk) since "
                                     "2026-11-26T16:00:00Z, expires 2026-11-26T16:10:00Z: deploy "
                                     "production app");
    auto back = rack::lease_from_json(rack::to_json(l).dump(), "locks/production.lock");
    CHECK(back.holder == "bob@desk");
    CHECK(back.pid == 4242);
    CHECK(back.expires == "2026-11-26T16:10:00Z");
    CHECK_THROWS_WITH(rack::lease_from_json("{}", "locks/production.lock"),
                      Catch::StartsWith("malformed lease locks/production.lock: "));
    CHECK(format_utc(*rack::parse_utc("2026-02-28T23:59:58Z")) == "2026-02-28T23:59:58Z");
    CHECK_FALSE(rack::parse_utc("2026-02-28 23:59:58"));
    CHECK(rack::local_pid_alive(::getpid()));
}
