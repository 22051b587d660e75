// wm logs and wm run as use cases (ops/logs.hpp, ops/run.hpp) over fake servers.
#include "support/fake_server.hpp"

#include <wm/ops/logs.hpp>
#include <wm/ops/run.hpp>

#include <catch2/catch.hpp>

using namespace wm;
using namespace std::chrono_literals;

namespace {

ops::DeployPlan plan_of(const std::vector<std::string>& servers,
                        std::vector<std::string> stacks = {"app"}) {
    ops::DeployPlan plan;
    plan.app = "shop";
    plan.environment = "production";
    plan.stacks = std::move(stacks);
    ops::PlannedRack r;
    r.resolved.rack.name = "trio";
    for (const auto& s : servers) {
        r.servers.push_back({s, "trio", false, {}, 80, 0, "wm.test"});
    }
    plan.racks.push_back(r);
    return plan;
}

rack::LogLine line_at(test::OpsHarness& h, std::chrono::seconds ago, const std::string& server,
                      const std::string& text) {
    return {rack::log_stamp(h.clock.now() - ago), server, "app", "web", "v3.1", text};
}

std::string texts(const std::vector<rack::LogLine>& lines) {
    std::string out;
    for (const auto& l : lines) {
        out += l.line + ";";
    }
    return out;
}

} // namespace

TEST_CASE("logs merges the servers in time order within the window", "[ops][logs]") {
    test::OpsHarness h({"a", "b"});
    h.connector.servers.at("a").logs = {line_at(h, 120s, "a", "too old"),
                                        line_at(h, 40s, "a", "a40"), line_at(h, 10s, "a", "a10")};
    h.connector.servers.at("b").logs = {line_at(h, 20s, "b", "b20"), line_at(h, 50s, "b", "b50")};
    std::vector<rack::LogLine> seen;
    auto errors = ops::read_logs(plan_of({"a", "b"}), h.env, {},
                                 [&](const rack::LogLine& l) { seen.push_back(l); });
    CHECK(errors.empty());
    CHECK(texts(seen) == "b50;a40;b20;a10;");
    // The window: the last minute, as the original product's.
    CHECK(h.calls("a") == std::vector<std::string>{"read_logs 2027-01-15_07:59:00.00000"});
}

TEST_CASE("logs shows the servers that answer and returns the others' errors", "[ops][logs]") {
    test::OpsHarness h({"a", "b"});
    h.connector.unreachable = {"b"};
    h.connector.servers.at("a").logs = {line_at(h, 10s, "a", "from a")};
    std::vector<rack::LogLine> seen;
    auto errors = ops::read_logs(plan_of({"a", "b"}), h.env, {},
                                 [&](const rack::LogLine& l) { seen.push_back(l); });
    CHECK(texts(seen) == "from a;");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].describe() ==
          "server b: step connect: cannot connect to b port 22: no route to host");
}

TEST_CASE("logs -f passes each new line once, until interrupted", "[ops][logs]") {
    test::OpsHarness h({"a"});
    auto& a = h.connector.servers.at("a");
    a.logs = {line_at(h, 5s, "a", "one"), line_at(h, 5s, "a", "same stamp")};
    std::vector<rack::LogLine> seen;
    ops::LogsRequest request;
    request.follow = true;
    auto sink = [&](const rack::LogLine& l) {
        seen.push_back(l);
        if (l.line == "same stamp") {
            a.logs.push_back(line_at(h, 0s, "a", "two")); // written while wm waits
        } else if (l.line == "two") {
            h.cancel.tripped = true;
        }
    };
    CHECK_THROWS_WITH(ops::read_logs(plan_of({"a"}), h.env, request, sink), "interrupted");
    CHECK(texts(seen) == "one;same stamp;two;");
    // The second read asks only from the newest line seen.
    REQUIRE(a.calls.size() >= 2);
    CHECK(a.calls[1] == "read_logs " + a.logs[0].ts);
}

TEST_CASE("a log cursor drops what it passed on, stamps and all", "[ops][logs]") {
    ops::LogCursor c;
    rack::LogLine x{"2026-11-30_21:00:00.00000", "a", "app", "web", "v1.1", "x"};
    rack::LogLine y = x;
    y.line = "y";
    rack::LogLine z = x;
    z.ts = "2026-11-30_21:00:01.00000";
    CHECK(texts(c.advance({x})) == "x;");
    CHECK(texts(c.advance({x, y})) == "y;");
    CHECK(texts(c.advance({x, y, z})) == "x;");
    CHECK(c.ts == z.ts);
}

TEST_CASE("log lines print with service, instance and server, or as JSON", "[ops][logs]") {
    rack::LogLine l{"2026-11-30_21:48:49.21102", "wmt2", "app", "web", "v3.1", "GET / 200"};
    CHECK(ops::format_log_line(l) == "2026-11-30T21:48:49.21102Z web v3.1 wmt2 | GET / 200");
    CHECK(ops::log_line_json(l).dump() ==
          R"({"instance":"v3.1","line":"GET / 200","server":"wmt2","service":"web","stack":"app",)"
          R"("ts":"2026-11-30T21:48:49.21102Z"})");
}

TEST_CASE("run executes on the serving release and returns the command's exit code", "[ops][run]") {
    test::OpsHarness h({"a", "b"});
    auto& b = h.connector.servers.at("b");
    for (int v : {2, 3}) {
        rack::Instance i;
        i.app_env = {"shop", "production"};
        i.stack = "app";
        i.service = "web";
        i.version = v;
        b.instances.push_back(i);
    }
    b.run_exit_code = 7;
    std::string out;
    ops::RunRequest request{"b", "sh -c 'exit 7'",
                            [&](Stream, std::string_view chunk) { out += chunk; }};
    ops::RunOutcome r = ops::run_command(plan_of({"a", "b"}), h.env, request);
    CHECK(r.server == "b");
    CHECK(r.version == 3);
    CHECK(r.exit_code == 7);
    CHECK(out == "sh -c 'exit 7'\n");
    CHECK(b.calls.back() == "run_oneoff app v3 sh -c 'exit 7'");
    CHECK(h.calls("a").empty());
}

TEST_CASE("run refuses what it cannot run", "[ops][run]") {
    test::OpsHarness h({"a"});
    ops::RunRequest request{"", "true", {}};
    CHECK_THROWS_WITH(ops::run_command(plan_of({"a"}), h.env, request),
                      "stack app has no running release on this server; deploy first");
    CHECK_THROWS_WITH(ops::run_command(plan_of({"a"}, {"app", "api"}), h.env, request),
                      "several stacks (app, api): choose one with --stack");
    request.server = "z";
    CHECK_THROWS_WITH(ops::run_command(plan_of({"a"}), h.env, request),
                      "no server 'z' in environment production (servers: a)");
}
