#include "support/fake_server.hpp"

#include <wm/ops/deploy.hpp>
#include <wm/ops/fleet.hpp>
#include <wm/ops/step_timing.hpp>

#include <catch2/catch.hpp>

using namespace wm;
using std::chrono::milliseconds;

namespace {

std::vector<Event> of_kind(const std::vector<Event>& events, const std::string& kind) {
    std::vector<Event> out;
    std::copy_if(events.begin(), events.end(), std::back_inserter(out),
                 [&](const Event& e) { return e.kind == kind; });
    return out;
}

ops::Fleet fleet_of(test::FakeConnector& c, const std::vector<std::string>& names) {
    std::vector<std::unique_ptr<ops::Server>> servers;
    for (const auto& n : names) {
        servers.push_back(std::make_unique<test::FakeServer>(c.add(n)));
    }
    return ops::Fleet(std::move(servers), 1); // one at a time: the fake clock is not shared
}

} // namespace

TEST_CASE("a timing event says the step, seconds and round trips", "[ops]") {
    Event e = ops::timing_event({"upload", "wmt1", 0.12345, 4, 0, false, false});
    CHECK(e.kind == "timing");
    CHECK(e.server == "wmt1");
    CHECK(e.message == "upload: 0.123 s, 4 round trips");
    CHECK(e.data == nlohmann::json{{"step", "upload"}, {"seconds", 0.123}, {"round_trips", 4}});

    Event total = ops::timing_event({"health", "", 1.5, 1, 3, false, true});
    CHECK(total.server.empty());
    CHECK(total.message == "health: 1.500 s, 1 round trip on 3 servers (failed)");
    CHECK(total.data == nlohmann::json{{"step", "health"},
                                       {"seconds", 1.5},
                                       {"round_trips", 1},
                                       {"servers", 3},
                                       {"failed", true}});

    Event phase = ops::timing_event({"Recording the deployment", "", 0.25, 0, 0, true, false});
    CHECK(phase.message == "took 0.250 s, 0 round trips");
    CHECK(phase.data == nlohmann::json{{"phase", "Recording the deployment"},
                                       {"seconds", 0.25},
                                       {"round_trips", 0}});
}

TEST_CASE("the phase timer reports each phase before the next step starts", "[ops]") {
    test::FakeClock clock;
    CaptureReporter inner;
    long round_trips = 7;
    {
        ops::PhaseTimer phases(inner, clock);
        phases.step("Connecting");
        auto counting = phases.count_round_trips([&] { return round_trips; });
        clock.sleep_for(milliseconds(1500));
        phases.info("connected");
        phases.step("Uploading");
        round_trips = 12;
        clock.sleep_for(milliseconds(250));
    } // the guard ends the last phase, then the timer has nothing left to report

    std::vector<Event> events = inner.events();
    REQUIRE(events.size() == 5);
    CHECK(events[0].message == "Connecting");
    CHECK(events[1].message == "connected");
    CHECK(events[2].kind == "timing");
    CHECK(events[2].data ==
          nlohmann::json{{"phase", "Connecting"}, {"seconds", 1.5}, {"round_trips", 7}});
    CHECK(events[3].message == "Uploading");
    CHECK(events[4].data ==
          nlohmann::json{{"phase", "Uploading"}, {"seconds", 0.25}, {"round_trips", 5}});
}

TEST_CASE("a fleet step reports each server's time and round trips, then the total", "[ops]") {
    test::FakeConnector connector;
    ops::Fleet fleet = fleet_of(connector, {"a1", "a2"});
    test::FakeClock clock;
    CaptureReporter reporter;
    fleet.time_steps(reporter, clock);

    fleet.each("prepare", [&](ops::Server& s) {
        clock.sleep_for(milliseconds(s.name() == "a1" ? 200 : 300));
        s.ensure_ready();
        s.check_alias({"shop", "production"});
    });

    std::vector<Event> t = of_kind(reporter.events(), "timing");
    REQUIRE(t.size() == 3);
    CHECK(t[0].server == "a1");
    CHECK(t[0].data == nlohmann::json{{"step", "prepare"}, {"seconds", 0.2}, {"round_trips", 2}});
    CHECK(t[1].server == "a2");
    CHECK(t[1].data == nlohmann::json{{"step", "prepare"}, {"seconds", 0.3}, {"round_trips", 2}});
    CHECK(t[2].server.empty());
    CHECK(
        t[2].data ==
        nlohmann::json{{"step", "prepare"}, {"seconds", 0.5}, {"round_trips", 4}, {"servers", 2}});
    CHECK(fleet.round_trips() == 4);
}

TEST_CASE("a failed fleet step still reports its time, marked failed", "[ops]") {
    test::FakeConnector connector;
    ops::Fleet fleet = fleet_of(connector, {"a1", "a2"});
    connector.servers.at("a2").fail_step = "ensure_ready";
    test::FakeClock clock;
    CaptureReporter reporter;
    fleet.time_steps(reporter, clock);

    CHECK_THROWS_WITH(fleet.each("prepare",
                                 [&](ops::Server& s) {
                                     clock.sleep_for(milliseconds(100));
                                     s.ensure_ready();
                                 }),
                      "ensure_ready failed on purpose");

    std::vector<Event> t = of_kind(reporter.events(), "timing");
    REQUIRE(t.size() == 3);
    CHECK(t[1].message == "prepare: 0.100 s, 1 round trip (failed)");
    CHECK(t[2].message == "prepare: 0.200 s, 2 round trips on 2 servers (failed)");
}

TEST_CASE("a deploy reports the timing of every step and phase", "[ops]") {
    test::OpsHarness h({"a1", "b1"});
    h.connector.servers.at("b1").slugs.insert("sha-0123456-app");
    ops::DeployPlan plan;
    plan.app = "shop";
    plan.environment = "production";
    plan.stacks = {"app"};
    plan.keep_releases = 3;
    plan.build = "local"; // a laptop build: the upload step is timed per server
    ops::PlannedRack rack;
    rack.resolved.rack.name = "a";
    manifest::StackSpec stack;
    stack.name = "app";
    manifest::ServiceSpec web;
    web.name = "web";
    stack.services = {web};
    rack.resolved.stacks = {stack};
    for (const char* name : {"a1", "b1"}) {
        ops::PlannedServer ps;
        ps.name = name;
        ps.rack = "a";
        rack.servers.push_back(ps);
    }
    plan.racks = {rack};
    (void)ops::deploy_plan(plan, {}, h.env);

    std::vector<std::string> steps, phases;
    std::map<std::string, long> upload;
    for (const Event& e : of_kind(h.reporter.events(), "timing")) {
        if (e.data.contains("phase")) {
            phases.push_back(e.data["phase"]);
        } else if (e.server.empty()) {
            steps.push_back(e.data["step"]);
        } else if (e.data["step"] == "upload") {
            upload[e.server] = e.data["round_trips"];
        }
    }
    CHECK(phases == std::vector<std::string>{
                        "Deploying shop to production (2 servers)", "Building stack app from HEAD",
                        "Uploading stack app as v0", "Starting the new release on rack a",
                        "Recording the deployment"});
    CHECK(steps.front() == "connect");
    CHECK(std::find(steps.begin(), steps.end(), "health") != steps.end());
    // a1 lacked the slug: upload + unpack + config; b1 had it: unpack + config
    CHECK(upload == std::map<std::string, long>{{"a1", 3}, {"b1", 2}});
}
