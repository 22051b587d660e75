// ServerOps over SSH on a testbed host (hidden: run with `wm_unit_rack "[ssh]"` and TB set to a
// running testbed, see tests/testbed/testbed.sh). Uses its own root and ports on the host so it
// does not disturb deploys to /var/lib/widemesh there.
#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/transport/factory.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace wm;

namespace {
const AppEnv k_prod{"shop", "production"};
} // namespace

TEST_CASE("server ops over ssh on a testbed host", "[.][ssh]") {
    const char* tb = std::getenv("TB");
    REQUIRE(tb);
    std::string host = std::getenv("WM_TEST_HOST") ? std::getenv("WM_TEST_HOST") : "10.78.0.20";
    transport::SshTarget ep{"tbhost", host, "root", 22, std::string(tb) + "/id_ed25519", ""};
    transport::SshOptions ssh;
    ssh.known_hosts = std::string(tb) + "/known_hosts";
    CaptureReporter reporter;
    auto t = transport::connect(ep, ssh, reporter);
    rack::Layout layout{"/srv/wm-runtime-test"};
    rack::ServerOptions opts;
    opts.http_port = 18080;
    opts.https_port = 18443;
    opts.tls_internal = true;
    opts.alias_domain = "wm.test";
    opts.drain = std::chrono::seconds(1);
    rack::ServerOps ops(*t, layout, reporter, opts);
    struct Cleanup {
        transport::Transport& t;
        rack::Layout layout;
        ~Cleanup() {
            try {
                rack::stop_local_daemons(t, layout);
                t.run("rm -rf " + layout.root);
            } catch (...) {
            }
        }
    } cleanup{*t, layout};

    ops.ensure_ready();
    fs::TempDir tmp("/tmp", "wmssh-");
    fs::write_file_atomic(tmp.path() / "app/app.py",
                          "import http.server, os\n"
                          "class H(http.server.BaseHTTPRequestHandler):\n"
                          "    def do_GET(self):\n"
                          "        b = ('%s %s %s' % (os.environ['GREETING'], "
                          "self.headers['X-Forwarded-Proto'], self.headers['X-Forwarded-Port']))"
                          ".encode()\n"
                          "        self.send_response(200); self.send_header('Content-Length', "
                          "str(len(b))); self.end_headers(); self.wfile.write(b)\n"
                          "http.server.ThreadingHTTPServer(('127.0.0.1', int(os.environ['PORT'])), "
                          "H).serve_forever()\n");
    std::string slug = (tmp.path() / "slug.tar.zst").string();
    REQUIRE(std::system(
                ("tar --zstd -cf " + slug + " -C " + tmp.path().string() + "/app .").c_str()) == 0);
    std::string sha = fs::sha256_file(slug);
    ops.upload_slug(slug, sha);
    ops.unpack_release(k_prod, "app", 0, sha, {{"v", 0}});
    ops.write_config(k_prod, "app", 0, {{"GREETING", "hi from ssh"}});
    CHECK(ops.run_release_command(k_prod, "app", 0, "echo $GREETING").out == "hi from ssh\n");
    manifest::ServiceSpec web;
    web.name = "web";
    web.command = "exec /usr/bin/python3 /app/app.py";
    web.instances = 2;
    web.memory_bytes = 256 << 20;
    auto v0 = ops.start_instances({k_prod, "app", 0, {web}});
    ops.wait_healthy(v0, {});
    ops.switch_proxy(k_prod, v0);
    auto http = t->run("curl -sS -H 'Host: shop-production.wm.test' http://127.0.0.1:18080/");
    CHECK(http.out == "hi from ssh http 18080");
    auto https = t->run(
        "curl -sS --cacert /srv/wm-runtime-test/proxy/data/pki/authorities/local/root.crt "
        "--resolve shop-production.wm.test:18443:127.0.0.1 https://shop-production.wm.test:18443/");
    CHECK(https.out == "hi from ssh https 18443");
    CHECK(ops.list_instances(k_prod).size() == 2);
    CHECK(t->run("cat \"$(cat " + layout.instance_dir(v0[0].name) +
                 "/cgroup)/memory.limit_in_bytes\"")
              .out == "268435456\n");
    ops.stop_instances(v0);
    CHECK(ops.list_instances().empty());
}
