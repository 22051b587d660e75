#include <wm/base/error.hpp>
#include <wm/rack/inventory.hpp>

#include <catch2/catch.hpp>

using namespace wm;

namespace {

manifest::RackSpec static_rack(const std::string& name, const std::string& region,
                               std::vector<manifest::ServerSpec> servers) {
    manifest::RackSpec r;
    r.name = name;
    r.region = region;
    r.servers = std::move(servers);
    return r;
}

} // namespace

TEST_CASE("parse_server: [user@]host[:port]") {
    auto a = rack::parse_server("10.0.0.5");
    CHECK(a.address == "10.0.0.5");
    CHECK(a.user.empty());
    CHECK(a.port == 0);
    auto b = rack::parse_server("deploy@web1.example.com:2222");
    CHECK(b.user == "deploy");
    CHECK(b.address == "web1.example.com");
    CHECK(b.port == 2222);
    auto c = rack::parse_server("root@[fd00::1]:22");
    CHECK(c.address == "fd00::1");
    CHECK(c.port == 22);
    CHECK_THROWS_WITH(rack::parse_server("host:99999"),
                      "invalid server 'host:99999': port must be 1-65535");
    CHECK_THROWS_WITH(rack::parse_server("@host"),
                      "invalid server '@host': expected [user@]host[:port]");
    CHECK_THROWS_WITH(rack::parse_server("[::1"), "invalid server '[::1': missing ']'");
}

TEST_CASE("all_racks: local first, registered merged, manifest wins a clash") {
    fs::TempDir dir;
    state::Store store(dir.path());
    state::save_rack(store, static_rack("edge", "eu", {{"10.0.0.5", "", 0, "", "", ""}}));
    state::save_rack(store, static_rack("web", "", {{"10.0.0.9", "deploy", 2222, "/k", "w", ""}}));
    manifest::Manifest m;
    manifest::RackSpec web;
    web.name = "web";
    m.racks = {rack::local_rack(), web};
    CaptureReporter rep;
    auto racks = rack::all_racks(&m, store, rep);
    REQUIRE(racks.size() == 3);
    CHECK(racks[0].name == "local");
    CHECK(racks[1].name == "web");
    CHECK(racks[1].servers.empty()); // the manifest's
    CHECK(racks[2].name == "edge");
    CHECK(racks[2].region == "eu");
    CHECK(racks[2].registered);
    CHECK(racks[2].servers.at(0).user.empty()); // unset: ~/.ssh/config, then root
    CHECK(racks[2].servers.at(0).port == 0);
    auto events = rep.events();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == "warn");
    CHECK(events[0].message == "registered rack web is shadowed by the manifest's rack of the same "
                               "name; using the manifest's");

    auto no_manifest = rack::all_racks(nullptr, store, rep);
    REQUIRE(no_manifest.size() == 3);
    CHECK(no_manifest[0].provider == manifest::Provider::local);
    CHECK(rack::find_rack(no_manifest, "web").servers.at(0).name == "w");
    CHECK_THROWS_WITH(rack::find_rack(no_manifest, "nope"),
                      "unknown rack nope (known: local, edge, web)");
}

TEST_CASE("endpoints, names and layouts") {
    manifest::ServerSpec s;
    s.address = "10.0.0.5";
    manifest::RackSpec web;
    web.jump = "admin@bastion:2022";
    auto e = rack::to_ssh_target(web, s);
    CHECK(e.jump == "admin@bastion:2022"); // the rack's bastion, unless the server has its own
    CHECK(e.name == "10.0.0.5");
    CHECK(e.user.empty()); // unset: left to ~/.ssh/config, then root/22
    CHECK(e.port == 0);
    s.user = "deploy";
    s.port = 2200;
    s.name = "web1";
    s.jump = "inner";
    e = rack::to_ssh_target(web, s);
    CHECK(e.jump == "inner");
    CHECK(e.name == "web1");
    CHECK(e.user == "deploy");
    CHECK(e.port == 2200);

    state::Store store("/home/me/.widemesh");
    CHECK(rack::layout_of(rack::local_rack(), store).root == "/home/me/.widemesh/local");
    manifest::RackSpec r;
    r.servers = {s};
    CHECK(rack::layout_of(r, store).root == "/var/lib/widemesh");
    CHECK(rack::server_names(r) == std::vector<std::string>{"web1"});
    CHECK(rack::server_names(rack::local_rack()) == std::vector<std::string>{"local"});
}
