// ServerOps end to end on this machine: runsvdir + Caddy in a temp root, instances of a tiny
// Python app under bwrap, health checks, proxy switch, a second release, cleanup. Needs root,
// runit, bwrap, caddy, curl and /usr/bin/python3 (all in scripts/install-deps.sh).
#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/transport/local_transport.hpp>

#include <catch2/catch.hpp>

#include <chrono>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace wm;

namespace {
const AppEnv k_prod{"shop", "production"};
} // namespace

namespace {

const char* k_app = R"PY(import http.server, json, os, signal, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"greeting": os.environ.get("GREETING", ""), "port": os.environ.get("PORT"),
                           "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
def stop(*args):
    print("stopping on TERM", flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
print("listening on", os.environ["PORT"], flush=True)
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
)PY";

int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

rack::ServerOptions test_options() {
    rack::ServerOptions opts;
    opts.http_port = free_port();
    opts.https_port = 0;
    opts.drain = std::chrono::seconds(1);
    return opts;
}

/// A local rack in a temp root; stops runsvdir (with it every instance and Caddy) however the
/// test ends, before the temp dir goes.
struct LocalRack {
    fs::TempDir tmp{"/tmp", "wmrt-"};
    transport::LocalTransport t{"local"};
    rack::Layout layout{tmp.path().string() + "/local"};
    CaptureReporter reporter;
    rack::ServerOptions opts = test_options();
    rack::ServerOps ops{t, layout, reporter, opts};

    ~LocalRack() {
        try {
            rack::stop_local_daemons(t, layout);
        } catch (...) {
        }
    }
    std::string dir() const { return tmp.path().string(); }
};

rack::StartPlan web_plan(int version, int count) {
    manifest::ServiceSpec web;
    web.name = "web";
    web.command = "exec /usr/bin/python3 -u /app/app.py";
    web.instances = count;
    web.memory_bytes = 536870912;
    return rack::StartPlan{k_prod, "app", version, {web}};
}

/// Makes a slug holding app.py, uploads and unpacks it as release `version` with `greeting`.
void prepare_release(rack::ServerOps& ops, transport::Transport& t, const std::string& tmp,
                     int version, const std::string& greeting) {
    std::string src = tmp + "/src" + std::to_string(version);
    fs::write_file_atomic(src + "/app.py", k_app);
    std::string slug = tmp + "/slug.tar.zst";
    REQUIRE(t.run("tar --zstd -cf " + slug + " -C " + src + " .").ok());
    std::string sha = fs::sha256_file(slug);
    if (!ops.has_slug(sha)) {
        ops.upload_slug(slug, sha);
    }
    CHECK(ops.has_slug(sha));
    ops.unpack_release(k_prod, "app", version, sha, {{"version", version}});
    ops.write_config(k_prod, "app", version, {{"GREETING", greeting}});
}

std::string curl_alias(transport::Transport& t, int port, const std::string& extra = "") {
    return t
        .run("curl -sS --max-time 5 -H 'Host: shop-production.localhost' " + extra +
             " http://127.0.0.1:" + std::to_string(port) + "/")
        .out;
}

} // namespace

TEST_CASE("server ops deploy two releases on the local machine with zero-downtime switch",
          "[local]") {
    LocalRack r;
    transport::Transport& t = r.t;
    rack::ServerOps& ops = r.ops;
    const rack::ServerOptions& opts = r.opts;
    const rack::Layout& layout = r.layout;

    ops.ensure_ready();
    ops.ensure_ready(); // idempotent: finds the running runsvdir
    REQUIRE(ops.next_version(k_prod, "app") == 0);

    prepare_release(ops, t, r.dir(), 0, "hello v0");
    auto rel = ops.run_release_command(
        k_prod, "app", 0, "echo migrating; echo x > /app/scratch && echo \"$GREETING\"");
    CHECK(rel.ok());
    CHECK(rel.out == "migrating\nhello v0\n");
    CHECK(t.run("test ! -e " + layout.release_app_dir(k_prod, "app", 0) + "/scratch").ok());

    auto v0 = ops.start_instances(web_plan(0, 2));
    REQUIRE(v0.size() == 2);
    CHECK(v0[0].name == "shop.production.app.web.v0.1");
    CHECK(v0[0].port != v0[1].port);
    manifest::HealthCheck check;
    check.timeout_seconds = 30;
    ops.wait_healthy(v0, check);
    ops.switch_proxy(k_prod, v0);

    auto body = nlohmann::json::parse(curl_alias(t, opts.http_port, "-H 'X-Request-Id: abc'"));
    CHECK(body["greeting"] == "hello v0");
    auto h = body["headers"];
    CHECK(h["x-forwarded-for"] == "127.0.0.1");
    CHECK(h["x-real-ip"] == "127.0.0.1");
    CHECK(h["x-forwarded-proto"] == "http");
    CHECK(h["x-forwarded-port"] == std::to_string(opts.http_port));
    CHECK(h["x-forwarded-host"] == "shop-production.localhost");
    CHECK(h["x-request-id"] == "abc");
    auto generated = nlohmann::json::parse(curl_alias(t, opts.http_port));
    CHECK(generated["headers"]["x-request-id"].get<std::string>().size() == 36);

    LocalRack other; // a second rack on the same port would share its traffic (SO_REUSEPORT)
    rack::ServerOptions same_port = other.opts;
    same_port.http_port = r.opts.http_port;
    rack::ServerOps clash(other.t, other.layout, other.reporter, same_port);
    CHECK_THROWS_WITH(clash.ensure_ready(),
                      Catch::StartsWith(fmt::format("port {} is already in use by another process",
                                                    r.opts.http_port)));

    prepare_release(ops, t, r.dir(), 1, "hello v1");
    auto v1 = ops.start_instances(web_plan(1, 2));
    ops.wait_healthy(v1, check);
    ops.switch_proxy(k_prod, v1);
    ops.stop_instances(v0);
    CHECK(nlohmann::json::parse(curl_alias(t, opts.http_port))["greeting"] == "hello v1");

    auto live = ops.list_instances(k_prod);
    REQUIRE(live.size() == 2);
    for (const auto& i : live) {
        CHECK(i.version == 1);
        CHECK(i.state == "run");
        CHECK(i.restarts == 0);
        CHECK(i.routed);
        auto limit = t.run("cat \"$(cat " + layout.instance_dir(i.name) +
                           "/cgroup)/memory.limit_in_bytes\"");
        CHECK(limit.out == "536870912\n");
    }
    CHECK(ops.tail_log("shop.production.app.web.v1.1").find("listening on") != std::string::npos);
    CHECK(ops.tail_log("shop.production.app.web.v0.1").find("stopping on TERM") !=
          std::string::npos);

    Deployment record;
    record.status = "succeeded";
    ops.record_deployment(k_prod, "app", 0, record, "first\n");
    record.version = 1;
    ops.record_deployment(k_prod, "app", 1, record, "all good\n");
    std::string log;
    CHECK(ops.read_deployment(k_prod, "app", 1, &log)->version == 1);
    CHECK(log == "all good\n");
    std::vector<Deployment> records = ops.read_deployments(k_prod, "app");
    REQUIRE(records.size() == 2);
    CHECK(records[1].version == 1);
    CHECK(records[1].status == "succeeded");

    // Rollback to v0: its own config comes back with it; then v1 is the one to prune.
    auto back = ops.start_instances(web_plan(0, 2));
    CHECK(back[0].name == "shop.production.app.web.v0.1");
    ops.wait_healthy(back, check);
    ops.switch_proxy(k_prod, back);
    ops.stop_instances(v1);
    CHECK(nlohmann::json::parse(curl_alias(t, opts.http_port))["greeting"] == "hello v0");
    CHECK(ops.prune_releases(k_prod, "app", 1, 0).empty()); // v1 newest succeeded, v0 current
    record.status = "failed";
    ops.record_deployment(k_prod, "app", 1, record, "failed\n");
    CHECK(ops.prune_releases(k_prod, "app", 1, 0) == std::vector<int>{1}); // failed: not kept
    CHECK(ops.list_releases(k_prod, "app") == std::vector<int>{0});
    CHECK(t.run("ls " + layout.logs_dir()).out.find(".v1.") == std::string::npos);
}

TEST_CASE("server ops reports a failing health check with the instance's log", "[local]") {
    LocalRack r;
    transport::Transport& t = r.t;
    rack::ServerOps& ops = r.ops;
    ops.ensure_ready();
    prepare_release(ops, t, r.dir(), 0, "unused");
    rack::StartPlan plan = web_plan(0, 1);
    plan.services[0].command = "echo boom: no database; exit 3";
    auto bad = ops.start_instances(plan);
    manifest::HealthCheck check;
    check.timeout_seconds = 30; // a crash loop is given up on before it: room for a loaded machine
    try {
        ops.wait_healthy(bad, check);
        FAIL("expected a health check failure");
    } catch (const Error& e) {
        std::string text = e.describe();
        CHECK(text.rfind("server local: step health check: 1 of 1 new instance(s) not healthy:\n"
                         "shop.production.app.web.v0.1 exits right after it starts (restarted 3 "
                         "times); gave up without waiting for the timeout\n",
                         0) == 0);
        CHECK(text.find("boom: no database") != std::string::npos);
    }
    ops.stop_instances(bad);
    CHECK(ops.list_instances().empty());

    manifest::ServiceSpec worker;
    worker.name = "worker";
    worker.command = "echo working; exec sleep 100";
    worker.health.uptime_seconds = 3; // healthy after 3 s without a restart
    manifest::ServiceSpec crasher;
    crasher.name = "crasher";
    crasher.command = "echo crashing; exit 1";
    auto good = ops.start_instances(
        {k_prod, "app", 0, {worker, web_plan(0, 1).services[0]}}); // web and worker at once
    REQUIRE(good.size() == 2);
    CHECK(good[0].port == 0);
    CHECK(good[1].port > 0);
    ops.wait_healthy(good, check);
    auto up = ops.list_instances(k_prod);
    REQUIRE(up.size() == 2);
    CHECK(up[1].name == "shop.production.app.worker.v0.1");
    CHECK(up[1].state == "run");
    CHECK(up[1].uptime_seconds >= 3);
    CHECK(up[1].port == 0);
    CHECK_FALSE(up[1].routed);
    auto crashing = ops.start_instances({k_prod, "app", 0, {crasher}});
    check.timeout_seconds = 60; // a crash loop is given up on long before the timeout
    auto before = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH(
        ops.wait_healthy(crashing, check),
        Catch::Contains("shop.production.app.crasher.v0.1 exits right after it starts") &&
            Catch::Contains("crashing"));
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(40));
    check.timeout_seconds = 8;
    CHECK(ops.list_instances(k_prod).size() == 3);
    ops.stop_instances(crashing);

    manifest::ServiceSpec hog;
    hog.name = "hog";
    hog.command =
        "exec /usr/bin/python3 -c 'import time; b = bytearray(300 << 20); time.sleep(100)'";
    hog.memory_bytes = 64 << 20;
    auto hogs = ops.start_instances({k_prod, "app", 0, {hog}});
    check.timeout_seconds = 6;
    CHECK_THROWS(ops.wait_healthy(hogs, check)); // killed by the limit, restarted, killed...
    ops.stop_instances(hogs);

    // A proxy that does not take the new config: the error says so, nothing is stored.
    REQUIRE(t.run("sv -w 10 down " + r.layout.instance_dir("proxy")).ok());
    auto web = ops.start_instances(web_plan(0, 1));
    CHECK_THROWS_WITH(ops.switch_proxy(k_prod, web), Catch::StartsWith("caddy reload failed:\n"));
    CHECK(t.run("ls " + r.layout.proxy_routes_dir()).out.empty());
    ops.stop_instances(web);
    ops.stop_instances(good);
    CHECK(ops.list_instances().empty());
}

namespace {

/// Keep-alive GET loop against the proxy until `stop` exists; writes {"ok", "bad", "stale",
/// "last"} to `result`. A request on a connection the old config generation closed is retried
/// on a new connection and counted as "stale", like a real HTTP client would (testbed.md §4).
const char* k_load = R"PY(import http.client, json, os, sys, time
port, stop, result = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ok = bad = stale = 0
last = ""
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
while not os.path.exists(stop):
    try:
        conn.request("GET", "/", headers={"Host": "shop-production.localhost"})
        r = conn.getresponse()
        body = r.read()
        if 200 <= r.status < 300:
            ok += 1
            last = json.loads(body)["greeting"]
        else:
            bad += 1
            print(r.status, body[:200], file=sys.stderr, flush=True)
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        stale += 1
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
with open(result, "w") as f:
    json.dump({"ok": ok, "bad": bad, "stale": stale, "last": last}, f)
)PY";

} // namespace

TEST_CASE("constant load through the proxy sees no failed request across three switches",
          "[local][load]") {
    LocalRack r;
    transport::Transport& t = r.t;
    rack::ServerOps& ops = r.ops;
    manifest::HealthCheck check;
    ops.ensure_ready();
    prepare_release(ops, t, r.dir(), 0, "hello v0");
    auto live = ops.start_instances(web_plan(0, 2));
    ops.wait_healthy(live, check);
    ops.switch_proxy(k_prod, live);

    fs::write_file_atomic(r.dir() + "/load.py", k_load);
    std::string stop = r.dir() + "/stop", result = r.dir() + "/result.json";
    REQUIRE(t.run(fmt::format("/usr/bin/python3 {}/load.py {} {} {} >/dev/null 2>{}/load.err &",
                              r.dir(), r.opts.http_port, stop, result, r.dir()))
                .ok());
    for (int v = 1; v <= 3; ++v) {
        prepare_release(ops, t, r.dir(), v, "hello v" + std::to_string(v));
        auto next = ops.start_instances(web_plan(v, 2));
        ops.wait_healthy(next, check);
        ops.switch_proxy(k_prod, next);
        ops.stop_instances(live);
        live = next;
    }
    REQUIRE(t.run("sleep 1; touch " + stop + "; i=0; while [ ! -s " + result +
                  " ] && [ $i -lt 100 ]; do i=$((i+1)); sleep 0.1; done")
                .ok());
    auto counts = nlohmann::json::parse(fs::read_file(result));
    INFO("load result: " << counts.dump() << " stderr: " << fs::read_file(r.dir() + "/load.err"));
    CHECK(counts["bad"] == 0);
    CHECK(counts["ok"].get<int>() > 100);
    CHECK(counts["last"] == "hello v3");
}
