// The logs of an app env on a server (rack/logs.hpp) and one-off runs (rack/oneoff.hpp): the
// remote commands by exact text, then run by /bin/sh over a layout in a temp dir, as a server
// runs them.
#include <wm/base/fs.hpp>
#include <wm/rack/logs.hpp>
#include <wm/rack/oneoff.hpp>
#include <wm/transport/local_transport.hpp>

#include <catch2/catch.hpp>

#include <filesystem>

using namespace wm;
using namespace wm::rack;
using namespace std::chrono_literals;

namespace {

const Layout k_l{"/r"};
const AppEnv k_shop{"shop", "production"};

std::chrono::system_clock::time_point at(const std::string& stamp) {
    auto t = parse_log_stamp(stamp);
    REQUIRE(t);
    return *t;
}

} // namespace

TEST_CASE("logs: svlogd stamps print and parse back, 10 µs precise", "[rack][logs]") {
    auto t =
        std::chrono::sys_days{std::chrono::November / 30 / 2026} + 21h + 48min + 49s + 211029us;
    CHECK(log_stamp(t) == "2026-11-30_21:48:49.21102");
    CHECK(log_stamp(at("2026-11-30_21:48:49.21102")) == "2026-11-30_21:48:49.21102");
    CHECK(at("2026-11-30_21:48:49.21102") == t - 9us);
    CHECK_FALSE(parse_log_stamp("2026-11-30T21:48:49Z"));
    CHECK_FALSE(parse_log_stamp("2026-11-30_21:48:49.2110"));
    CHECK_FALSE(parse_log_stamp(""));
}

TEST_CASE("logs: the read command selects dirs by stack and service, lines by stamp",
          "[rack][logs]") {
    LogQuery all{k_shop, "", "", at("2026-11-30_21:48:49.00000")};
    CHECK(read_logs_command(k_l, all) == R"SH(cd /r/logs 2>/dev/null || exit 0
for d in shop.production.*.* shop.production; do
	[ -d "$d" ] || continue
	for f in "$d"/@*.[su] "$d"/previous "$d"/current; do
		[ -f "$f" ] && [ -n "$(find "$f" -newermt @1796075328)" ] || continue
		awk -v s=2026-11-30_21:48:49.00000 -v d="$d" '$1 >= s { print d " " $0 }' "$f"
	done
done
)SH");
    LogQuery web{k_shop, "app", "web", all.since};
    std::string cmd = read_logs_command(k_l, web);
    CHECK(cmd.find("for d in shop.production.app.web.v*; do\n") != std::string::npos);
}

TEST_CASE("logs: output lines become service, instance and server; others are skipped",
          "[rack][logs]") {
    std::string out = "shop.production.app.web.v3.1 2026-11-30_21:48:49.21102 GET / 200\n"
                      "shop.production 2026-11-30_21:48:50.00000 app deploy v3 started web v3.1\n"
                      "shop.production 2026-11-30_21:48:51.00000 - run v3.ab12 exited with code 7\n"
                      "shop.production.app.web.v3.2 2026-11-30_21:48:52.00000 \n"
                      "shop.staging.app.web.v3.1 2026-11-30_21:48:49.21102 another env\n"
                      "shop.production.odd 2026-11-30_21:48:49.21102 not an instance\n";
    auto lines = parse_log_output(out, "wmt2", {k_shop, "", "", {}});
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].ts == "2026-11-30_21:48:49.21102");
    CHECK(lines[0].server == "wmt2");
    CHECK(lines[0].stack == "app");
    CHECK(lines[0].service == "web");
    CHECK(lines[0].instance == "v3.1");
    CHECK(lines[0].line == "GET / 200");
    CHECK(lines[1].service == "deploy");
    CHECK(lines[1].instance == "v3");
    CHECK(lines[1].line == "started web v3.1");
    CHECK(lines[2].stack == "");
    CHECK(lines[2].service == "run");
    CHECK(lines[2].line == "exited with code 7");
    CHECK(lines[3].instance == "v3.2");
    CHECK(lines[3].line == "");
}

TEST_CASE("logs: --stack keeps its own events and the app env's, not another stack's",
          "[rack][logs]") {
    std::string out = "shop.production 2026-11-30_21:48:50.00000 app deploy v3 started web v3.1\n"
                      "shop.production 2026-11-30_21:48:50.50000 api deploy v2 started web v2.1\n"
                      "shop.production 2026-11-30_21:48:51.00000 - config - set FOO by dev\n";
    std::vector<std::string> texts;
    for (const LogLine& l : parse_log_output(out, "wmt2", {k_shop, "api", "", {}})) {
        texts.push_back(l.stack + ": " + l.line);
    }
    CHECK(texts == std::vector<std::string>{"api: started web v2.1", ": set FOO by dev"});
    CHECK(parse_log_output(out, "wmt2", {k_shop, "", "", {}}).size() == 3);
}

TEST_CASE("logs: servers merge in time order, each server's order kept on ties", "[rack][logs]") {
    std::vector<LogLine> a{{"2026-11-30_21:00:01.00000", "a", "", "web", "v1.1", "a1"},
                           {"2026-11-30_21:00:03.00000", "a", "", "web", "v1.1", "a3"},
                           {"2026-11-30_21:00:03.00000", "a", "", "web", "v1.1", "a3b"}};
    std::vector<LogLine> b{{"2026-11-30_21:00:02.00000", "b", "", "web", "v1.1", "b2"},
                           {"2026-11-30_21:00:00.00000", "b", "", "web", "v1.2", "b0"}};
    std::string order;
    for (const auto& l : merge_logs({a, b})) {
        order += l.line + " ";
    }
    CHECK(order == "b0 a1 b2 a3 a3b ");
}

TEST_CASE("logs: events, retention and finish script by exact text", "[rack][logs]") {
    CHECK(
        append_events_command(k_l, k_shop, 70001) ==
        R"SH(d=/r/logs/shop.production && mkdir -p "$d" && chmod 0750 "$d" && chgrp 70001 "$d" || exit 1
[ "$(wc -c < "$d/current" 2>/dev/null || echo 0)" -gt 10000000 ] && mv -f "$d/current" "$d/previous"
t=$(date -u +%Y-%m-%d_%H:%M:%S.%N) && t=${t%????}
awk -v t="$t" '{ print t " " $0 }' >> "$d/current"
)SH");
    CHECK(event_line("app", "deploy", "v3", "started web v3.1") ==
          "app deploy v3 started web v3.1\n");
    CHECK(event_line("", "run", "v3.ab", "two\nlines") == "- run v3.ab two lines\n");
    // 500 MB over 7 files per instance (current + 6 rotated every 10 minutes).
    CHECK(log_retention_config(2) == "s35714285\nn6\nt600\n");
    CHECK(log_retention_config(0) == "s71428571\nn6\nt600\n");
    CHECK(log_retention_config(1000) == "s1000000\nn6\nt600\n");
    CHECK(prune_logs_command(k_l, k_shop) == R"SH(cd /r/logs 2>/dev/null || exit 0
for d in shop.production.*; do
	[ -d "$d" ] && [ ! -e /r/service/"$d" ] && [ -z "$(find "$d" -mmin -60 | head -n 1)" ] && rm -rf "$d"
done
find shop.production -maxdepth 1 -name previous -mmin +60 -delete 2>/dev/null
true
)SH");
    CHECK(render_finish_script() ==
          "#!/bin/sh\n# generated by wm: how the process ended, in the instance's log\n"
          "if [ \"$1\" = -1 ]; then echo \"wm: killed by signal $2\"; "
          "else echo \"wm: exited with code $1\"; fi\n");
}

TEST_CASE("logs: on a server, events and svlogd files read back in order, old ones left out",
          "[rack][logs]") {
    fs::TempDir tmp;
    Layout l{tmp.path().string()};
    transport::LocalTransport sh("local");
    std::string web = l.log_dir("shop.production.app.web.v3.1");
    std::filesystem::create_directories(web);
    // Last written in 2020: not read at all, whatever its lines say.
    fs::write_file_atomic(web + "/@400000006000000000000000.s",
                          "2099-01-01_00:00:00.00000 stale file\n");
    REQUIRE(sh.run("touch -d 2020-01-01 " + web + "/@400000006000000000000000.s").ok());
    fs::write_file_atomic(web + "/@400000006000000100000000.s",
                          "2020-11-30_21:00:00.00000 before\n2099-01-01_00:00:00.00000 rotated\n");
    fs::write_file_atomic(web + "/current", "2099-01-01_00:00:01.00000 current\n");
    std::filesystem::create_directories(l.log_dir("shop.staging.app.web.v1.1"));
    fs::write_file_atomic(l.log_dir("shop.staging.app.web.v1.1") + "/current",
                          "2099-01-01_00:00:01.00000 other env\n");
    transport::RunOptions events;
    events.stdin_data = event_line("app", "release", "v3", "migrated $HOME 'quoted'");
    REQUIRE(sh.run(append_events_command(l, k_shop, 0), events).ok());

    auto since = std::chrono::system_clock::now() - 1h;
    auto r = sh.run(read_logs_command(l, {k_shop, "", "", since}));
    REQUIRE(r.ok());
    auto lines = parse_log_output(r.out, "local", {k_shop, "", "", since});
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].line == "rotated");
    CHECK(lines[1].line == "current");
    CHECK(lines[2].service == "release");
    CHECK(lines[2].line == "migrated $HOME 'quoted'");
    CHECK(lines[2].ts >= log_stamp(since));
    auto only = sh.run(read_logs_command(l, {k_shop, "app", "worker", since}));
    CHECK(only.ok());
    CHECK(only.out == "");
    // Another stack: neither app's instances nor its events.
    LogQuery api{k_shop, "api", "", since};
    auto other = sh.run(read_logs_command(l, api));
    CHECK(other.ok());
    CHECK(parse_log_output(other.out, "local", api).empty());
}

TEST_CASE("oneoff: the run gets a session of its own, recorded for stop", "[rack][oneoff]") {
    runtime::SandboxSpec spec;
    spec.app_dir = "/r/apps/shop/production/app/releases/v3/app";
    spec.scratch_dir = "/r/apps/shop/production/app/releases/v3/.run-ab12";
    spec.env_dir = "/r/apps/shop/production/app/releases/v3/env";
    spec.command = "exit 7";
    spec.layer = runtime::WritableLayer::tmp_only;
    std::string cmd = oneoff_command(spec, spec.scratch_dir + ".pid");
    CHECK(cmd == "mkdir -p " + spec.env_dir + " " + spec.scratch_dir +
                     " && exec setsid -w /bin/sh -c 'echo $$ > \"$0\" && exec /bin/sh -c \"$1\"' " +
                     spec.scratch_dir + ".pid " + shell_quote(runtime::sandbox_command(spec)));
    CHECK(stop_oneoff_command("/r/x.pid", "/r/x") ==
          R"SH(p=$(cat /r/x.pid 2>/dev/null) && [ -n "$p" ] && {
	kill -TERM "-$p" 2>/dev/null
	i=0
	while [ "$i" -lt 30 ] && kill -0 "-$p" 2>/dev/null; do i=$((i + 1)); sleep 0.1; done
	kill -KILL "-$p" 2>/dev/null
}
rm -f /r/x.pid; rmdir /r/x 2>/dev/null; true
)SH");
}

TEST_CASE("oneoff: a console stays in its terminal's process group; only the command gets ^C",
          "[rack][oneoff]") {
    runtime::SandboxSpec spec;
    spec.app_dir = "/r/v3/app";
    spec.scratch_dir = "/r/v3/.run-ab12";
    spec.env_dir = "/r/v3/env";
    spec.command = "bash";
    spec.layer = runtime::WritableLayer::tmp_only;
    spec.console = true;
    std::string sandbox = runtime::sandbox_command(spec);
    CHECK(oneoff_command(spec, "/r/v3/.run-ab12.pid", true) ==
          "mkdir -p /r/v3/env /r/v3/.run-ab12 && read -r _ _ _ _ g _ < /proc/$$/stat && echo "
          "\"$g\" > /r/v3/.run-ab12.pid && trap '' INT QUIT && exec " +
              sandbox);
    CHECK(sandbox.find(" /usr/bin/env --default-signal=INT,QUIT /bin/bash -c ") !=
          std::string::npos);
    spec.console = false;
    CHECK(runtime::sandbox_command(spec).find("--default-signal") == std::string::npos);
}

TEST_CASE("oneoff: stop kills every process of the run's session", "[rack][oneoff]") {
    fs::TempDir tmp;
    std::string pid_file = (tmp.path() / "run.pid").string();
    std::string scratch = (tmp.path() / "run").string();
    transport::LocalTransport sh("local");
    // What oneoff_command starts, without the sandbox: a shell with a child, left running.
    std::string start = "mkdir -p " + scratch +
                        " && setsid /bin/sh -c 'echo $$ > \"$0\"; "
                        "sleep 300 & sleep 301; wait' " +
                        pid_file + " >/dev/null 2>&1 &";
    REQUIRE(sh.run(start).ok());
    REQUIRE(
        sh.run("for i in $(seq 50); do [ -s " + pid_file + " ] && exit 0; sleep 0.1; done; exit 1")
            .ok());
    std::string pgid = fs::read_file(pid_file);
    pgid.erase(pgid.find_last_not_of('\n') + 1);
    REQUIRE(sh.run("kill -0 -" + pgid).ok());
    REQUIRE(sh.run(stop_oneoff_command(pid_file, scratch)).ok());
    CHECK_FALSE(sh.run("kill -0 -" + pgid + " 2>/dev/null").ok());
    CHECK_FALSE(std::filesystem::exists(pid_file));
    CHECK_FALSE(std::filesystem::exists(scratch));
}
