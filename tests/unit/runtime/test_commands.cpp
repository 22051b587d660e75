#include <wm/base/error.hpp>
#include <wm/runtime/commands.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

using namespace wm;

namespace {
/// Runs a script with /bin/sh and returns its stdout (test helper only).
std::string run_sh(const std::string& script, int* rc) {
    std::string file = "/tmp/wm-test-script-" + std::to_string(::getpid()) + ".sh";
    FILE* f = std::fopen(file.c_str(), "w");
    std::fwrite(script.data(), 1, script.size(), f);
    std::fclose(f);
    FILE* p = ::popen(("/bin/sh " + file).c_str(), "r");
    std::string out;
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, p)) {
        out.append(buf, n);
    }
    *rc = WEXITSTATUS(::pclose(p));
    std::remove(file.c_str());
    return out;
}
} // namespace

TEST_CASE("sv status lines parse into state, pid and uptime") {
    auto run = runtime::parse_sv_status(
        "run: /var/lib/widemesh/service/p.app.web.v1.1: (pid 4242) 17s; run: log: (pid 4240) 18s");
    CHECK(run.state == "run");
    CHECK(run.pid == 4242);
    CHECK(run.seconds == 17);
    auto down = runtime::parse_sv_status("down: /x/p.app.web.v1.1: 3s, normally up; run: log: "
                                         "(pid 9) 5s");
    CHECK(down.state == "down");
    CHECK(down.pid == 0);
    CHECK(down.seconds == 3);
    auto fin = runtime::parse_sv_status("finish: /x/y: (pid 77) 0s, normally up");
    CHECK(fin.state == "finish");
    CHECK(fin.pid == 77);
    auto missing =
        runtime::parse_sv_status("warning: /x/y: unable to open supervise/ok: file does not exist");
    CHECK(missing.state == "starting");
}

TEST_CASE("ports are picked upward from the start, skipping used ones, wrapping") {
    CHECK(runtime::pick_ports({20001, 20003}, 3, 20000, 20005, 20001) ==
          std::vector<int>{20002, 20004, 20005});
    CHECK(runtime::pick_ports({}, 2, 20000, 20002, 20002) == std::vector<int>{20002, 20000});
    CHECK_THROWS_WITH(runtime::pick_ports({20000, 20001}, 1, 20000, 20001, 20000),
                      "no free port in 20000-20001 (1 needed)");
    CHECK(runtime::pick_ports({}, 0, 20000, 20001, 20000).empty());
}

TEST_CASE("web health script text") {
    std::string s = runtime::web_health_script(
        {{"p.app.web.v1.1", 20001, "", "10.250.0.2", "/run/netns/wm-70000"}}, "/health", 30);
    CHECK(s.rfind("deadline=$(( $(date +%s) + 30 ))\ncrashes=3\nrestarts() {\n", 0) == 0);
    CHECK(s.find("\nhealthy='2[0-9][0-9]'\ncheck() {\n\twait_s=0.05\n") != std::string::npos);
    // polled after 50 ms, then 100, 200, 400 and every 500 ms
    CHECK(s.find("\t\tsleep \"$wait_s\"\n\t\tcase \"$wait_s\" in 0.05) wait_s=0.1;; 0.1) "
                 "wait_s=0.2;; 0.2) wait_s=0.4;; *) wait_s=0.5;; esac\n") != std::string::npos);
    // The instance is reached at its namespace's address; its ports are listed in there.
    CHECK(s.find("\"http://$5:$2$3\"") != std::string::npos);
    CHECK(s.find("${2:+nsenter --net=\"$2\"} ss -ltnpH") != std::string::npos);
    CHECK(s.substr(s.find("rc=0 pids=\n")) ==
          "rc=0 pids=\ncheck p.app.web.v1.1 20001 /health '' 10.250.0.2 /run/netns/wm-70000 & "
          "pids=\"$pids $!\"\n"
          "for p in $pids; do wait \"$p\" || rc=1; done\nexit $rc\n");
}

TEST_CASE("web health script reports a closed port with curl's error") {
    int rc = 0;
    std::string out = run_sh(runtime::web_health_script({{"x.a.web.v0.1", 1, ""}}, "/", 1), &rc);
    CHECK(rc == 1);
    CHECK(out == "x.a.web.v0.1 fail closed \n"); // no service dir: no ports to name
}

TEST_CASE("web health script: below 500 at / without a path, 2xx at a configured path") {
    // A real HTTP server answering 302 everywhere but /up (200) and /boom (500).
    int port = 20000 + ::getpid() % 20000;
    std::string serve = fmt::format(R"SH(/usr/bin/python3 -c '
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response({{"/up": 200, "/boom": 500}}.get(self.path, 302))
        self.send_header("Location", "/login")
        self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", {}), H).serve_forever()' & srv=$!
)SH",
                                    port);
    auto check = [&](const std::string& path) {
        int rc = 0;
        std::string out =
            run_sh(serve + "(\n" + runtime::web_health_script({{"w", port, ""}}, path, 2) +
                       ")\nrc=$?; kill $srv; exit $rc\n",
                   &rc);
        return out.substr(0, out.find('\n')) + " rc=" + std::to_string(rc);
    };
    CHECK(check("") == "w ok 302 rc=0");
    CHECK(check("/up") == "w ok 200 rc=0");
    CHECK(check("/") == "w fail answered 302 rc=1");
    CHECK(check("/boom") == "w fail answered 500 rc=1");
}

TEST_CASE("worker health script fails for a service that is not supervised") {
    int rc = 0;
    std::string out =
        run_sh(runtime::worker_health_script({{"x.a.worker.v0.1", "/nonexistent/x", 3}}, 1), &rc);
    CHECK(rc == 1);
    CHECK(out.rfind("x.a.worker.v0.1 fail ", 0) == 0);
}

TEST_CASE("mkdir mutex: second acquire times out, release frees it, stale one is broken") {
    std::string dir = "/tmp/wm-test-mutex-" + std::to_string(::getpid());
    int rc = 0;
    run_sh(runtime::mutex_acquire_command(dir, 1), &rc);
    CHECK(rc == 0);
    CHECK(run_sh(runtime::mutex_acquire_command(dir, 1), &rc) == "busy: " + dir + "\n");
    CHECK(rc == 1);
    run_sh(runtime::mutex_release_command(dir), &rc);
    run_sh(runtime::mutex_acquire_command(dir, 1), &rc);
    CHECK(rc == 0);
    run_sh("touch -d '2 minutes ago' " + dir + "\n", &rc);
    run_sh(runtime::mutex_acquire_command(dir, 1), &rc);
    CHECK(rc == 0);
    run_sh(runtime::mutex_release_command(dir), &rc);
}
