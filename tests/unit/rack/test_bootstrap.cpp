#include <wm/base/fs.hpp>
#include <wm/rack/bootstrap.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/status.hpp>
#include <wm/transport/local_transport.hpp>

#include <catch2/catch.hpp>

using namespace wm;

namespace {
std::string golden(const char* name) {
    return fs::read_file(std::string(WM_SOURCE_DIR) + "/tests/unit/rack/data/" + name);
}
} // namespace

TEST_CASE("bootstrap and status scripts, exact text") {
    rack::BootstrapTarget server;
    CHECK(rack::bootstrap_script(server) == golden("bootstrap_server.sh"));
    CHECK(rack::status_command(server.layout) == golden("status_probe.sh"));
}

TEST_CASE("the stacks' run packages join the install command, exact text") {
    CHECK(rack::packages_script({"nodejs", "php-cli"}, true) == golden("packages_install.sh"));
    CHECK(rack::packages_script({"python3"}, false) ==
          R"SH(missing=""
for p in runit:runsvdir caddy:caddy bubblewrap:bwrap curl:curl zstd:zstd iproute2:ss procps:pgrep; do
	command -v "${p#*:}" >/dev/null 2>&1 || missing="$missing ${p%%:*}"
done
for p in python3; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' ok installed$' || missing="$missing $p"
done
[ -z "$missing" ] || echo "warning: missing:$missing (install them: apt-get install$missing)"
)SH");
    rack::BootstrapTarget server;
    server.run_packages = {"nodejs"};
    CHECK(rack::bootstrap_script(server).find("for p in nodejs; do\n") != std::string::npos);
    CHECK_THROWS_WITH(rack::packages_script({"nodejs", "x; rm -rf /"}, true),
                      "'x; rm -rf /' is not a Debian package name");
    CHECK_THROWS_WITH(rack::packages_script({"Node"}, true), "'Node' is not a Debian package name");
}

TEST_CASE("parse_changes and parse_status") {
    CHECK(
        rack::parse_changes("changed: created /x\nnoise\nchanged: wrote /x/VERSION (layout 1)\n") ==
        std::vector<std::string>{"created /x", "wrote /x/VERSION (layout 1)"});
    rack::ServerStatus s;
    rack::parse_status("os=Debian GNU/Linux 12 (bookworm)\ndisk_free_kb=2048\nrunsvdir=yes\n"
                       "caddy=no\nbwrap=yes\nlayout=1\nsupervisor=\nservices=0\nextra=ignored\n",
                       s);
    CHECK(s.os == "Debian GNU/Linux 12 (bookworm)");
    CHECK(s.disk_free_bytes == 2048u * 1024);
    CHECK(s.runit);
    CHECK_FALSE(s.caddy);
    CHECK(s.bwrap);
    CHECK(s.layout_version == "1");
    CHECK_FALSE(s.supervisor_pid);
    s.server = "wmt1";
    s.reachable = true;
    s.rtt_ms = 2.345;
    CHECK(rack::render_status({s}) ==
          "wmt1: reachable, rtt 2.3 ms, Debian GNU/Linux 12 (bookworm), free 2.0 MiB, runit yes, "
          "caddy no, bubblewrap yes, layout v1, supervisor stopped\n  serves no app yet\n");
    rack::parse_status("served=shop staging web 2\nserved=blog production app -\n"
                       "served=shop staging api 10\nserved=broken\n",
                       s);
    REQUIRE(s.served.size() == 3);
    CHECK(s.served[0].app_env == AppEnv{"blog", "production"});
    CHECK(s.served[0].version == -1);
    CHECK(s.served[1].stack == "api");
    CHECK(s.served[1].version == 10);
    CHECK(rack::render_status({s}) ==
          "wmt1: reachable, rtt 2.3 ms, Debian GNU/Linux 12 (bookworm), free 2.0 MiB, runit yes, "
          "caddy no, bubblewrap yes, layout v1, supervisor stopped\n"
          "  serves blog/production (app no deployment recorded)\n"
          "  serves shop/staging (api v10, web v2)\n");
    CHECK(rack::to_json(s)["serves"].dump() ==
          R"([{"app":"blog","environment":"production","stacks":[{"stack":"app","version":null}]},)"
          R"({"app":"shop","environment":"staging","stacks":[{"stack":"api","version":10},)"
          R"({"stack":"web","version":2}]}])");
    rack::parse_status("supervisor=4242\nservices=3\n", s);
    CHECK(rack::to_json(s)["supervisor"].dump() == R"({"pid":4242,"running":true,"services":3})");
    s.served.clear();
    CHECK(rack::render_status({s}) ==
          "wmt1: reachable, rtt 2.3 ms, Debian GNU/Linux 12 (bookworm), free 2.0 MiB, runit yes, "
          "caddy no, bubblewrap yes, layout v1, supervisor running (pid 4242, 3 services)\n"
          "  serves no app yet\n");
    rack::ServerStatus down;
    down.server = "wmt9";
    down.reason = "cannot connect to 10.78.0.99 port 22: no route to host";
    CHECK(rack::render_status({down}) ==
          "wmt9: unreachable: cannot connect to 10.78.0.99 port 22: no route to host\n");
    CHECK(
        rack::to_json(down).dump() ==
        R"({"reachable":false,"reason":"cannot connect to 10.78.0.99 port 22: no route to host","server":"wmt9"})");
}

TEST_CASE("bootstrap of a local layout is idempotent") {
    fs::TempDir dir;
    rack::Layout layout;
    layout.root = (dir.path() / "local").string();
    transport::LocalTransport t;
    NullReporter rep;
    rack::BootstrapTarget target{layout, false, true, false, {}};
    auto first = rack::bootstrap_server(t, target, rep);
    REQUIRE(first.size() == 8);
    CHECK(first[0] == "created " + layout.root + "/slugs");
    CHECK(first[6] == "wrote " + layout.root + "/VERSION (layout 2)");
    CHECK(first[7].rfind("started runsvdir (detached, pid ", 0) == 0);
    CHECK(rack::bootstrap_server(t, target, rep).empty());
    auto status = rack::probe_status(t, layout);
    CHECK(status.layout_version == "2");
    CHECK(status.reachable);
    CHECK(status.supervisor_pid);
    CHECK(status.served.empty());
    // What the server holds comes from its layout: stack dirs and their stored records.
    for (const char* f :
         {"shop/production/web/deployments/v2.json", "shop/production/web/deployments/v10.json",
          "shop/production/web/deployments/v10.log", "blog/production/web/releases/v0/x",
          "blog/staging/web/deployments/v0.json"}) {
        fs::write_file_atomic(layout.apps_dir() + "/" + f, "{}");
    }
    status = rack::probe_status(t, layout);
    CHECK(rack::to_json(status)["serves"].dump() ==
          R"([{"app":"blog","environment":"production","stacks":[{"stack":"web","version":null}]},)"
          R"({"app":"blog","environment":"staging","stacks":[{"stack":"web","version":0}]},)"
          R"({"app":"shop","environment":"production","stacks":[{"stack":"web","version":10}]}])");
    rack::stop_local_daemons(t, layout);
    CHECK_FALSE(rack::probe_status(t, layout).supervisor_pid);
}
