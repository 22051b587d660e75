// The network isolation of app envs (rack/netns.hpp), by exact text.
#include <wm/base/error.hpp>
#include <wm/rack/netns.hpp>

#include <catch2/catch.hpp>

using namespace wm;
using namespace wm::rack;

TEST_CASE("netns: a tenant's link is its own /30, numbered by its uid", "[rack]") {
    NetLink first = net_link("shop.production", 70000);
    CHECK(first.netns == "wm-70000");
    CHECK(first.host_if == "wm-70000");
    CHECK(first.host_addr == "10.250.0.1");
    CHECK(first.ns_addr == "10.250.0.2");
    NetLink second = net_link("shop.staging", 70001);
    CHECK(second.host_addr == "10.250.0.5");
    CHECK(second.ns_addr == "10.250.0.6");
    CHECK(net_link("x.y", 70064).ns_addr == "10.250.1.2");
    NetLink last = net_link("x.y", 99999); // block 29999: 119996 addresses up, inside the /15
    CHECK(last.host_addr == "10.251.212.189");
    CHECK(last.ns_addr == "10.251.212.190");
    CHECK(last.host_if.size() <= 15); // IFNAMSIZ - 1
    CHECK(netns_path(first) == "/run/netns/wm-70000");
    CHECK_THROWS_WITH(net_link("shop.production", 1000),
                      "tenant uid 1000 of 'shop.production' is outside 70000-99999: no network "
                      "link for it");
}

TEST_CASE("netns: the firewall lets the server in, the namespaces only out", "[rack]") {
    CHECK(firewall_ruleset() == R"(table inet widemesh
delete table inet widemesh
table inet widemesh {
	chain input {
		type filter hook input priority 0; policy accept;
		iifname "wm-*" ct state established,related accept
		iifname "wm-*" reject
	}
	chain forward {
		type filter hook forward priority 0; policy accept;
		oifname "wm-*" ct state established,related accept
		iifname "wm-*" oifname "wm-*" reject
		oifname "wm-*" drop
		iifname "wm-*" accept
	}
	chain postrouting {
		type nat hook postrouting priority 100; policy accept;
		ip saddr 10.250.0.0/15 oifname != "wm-*" masquerade
	}
}
)");
}

TEST_CASE("netns: the setup script creates what is missing and writes resolv.conf", "[rack]") {
    std::string script =
        netns_setup_command(net_link("shop.production", 70001),
                            "/var/lib/widemesh/tenants/shop.production/etc/resolv.conf");
    CHECK(script ==
          "set -e\n"
          "ns=wm-70001\n"
          "[ -e /run/netns/\"$ns\" ] || ip netns add \"$ns\"\n"
          "ip link show wm-70001 >/dev/null 2>&1 || ip link add wm-70001 type veth peer "
          "name eth0 netns \"$ns\"\n"
          "ip addr replace 10.250.0.5/30 dev wm-70001\n"
          "ip link set wm-70001 up\n"
          "ip -n \"$ns\" link set lo up\n"
          "ip -n \"$ns\" addr replace 10.250.0.6/30 dev eth0\n"
          "ip -n \"$ns\" link set eth0 up\n"
          "ip -n \"$ns\" route replace default via 10.250.0.5\n"
          "echo 1 > /proc/sys/net/ipv4/ip_forward\n"
          "nft -f - <<'WM_NFT'\n" +
              firewall_ruleset() +
              "WM_NFT\n"
              "r=/etc/resolv.conf\n"
              "if grep -qs '^nameserver[[:space:]]*127\\.' \"$r\" && [ -s "
              "/run/systemd/resolve/resolv.conf ]; then\n"
              "\tr=/run/systemd/resolve/resolv.conf\n"
              "fi\n"
              "cat \"$r\" > /var/lib/widemesh/tenants/shop.production/etc/resolv.conf.new "
              "2>/dev/null || : > "
              "/var/lib/widemesh/tenants/shop.production/etc/resolv.conf.new\n"
              "chmod 0644 /var/lib/widemesh/tenants/shop.production/etc/resolv.conf.new && "
              "mv -f /var/lib/widemesh/tenants/shop.production/etc/resolv.conf.new "
              "/var/lib/widemesh/tenants/shop.production/etc/resolv.conf\n");
}

TEST_CASE("netns: the setup script is kept on the server, then run", "[rack]") {
    CHECK(netns_install_command("/var/lib/widemesh/tenants/shop.production/network.sh",
                                "set -e\nip netns add wm-70001\n") ==
          "set -e\n"
          "mkdir -p /var/lib/widemesh/tenants/shop.production\n"
          "cat > /var/lib/widemesh/tenants/shop.production/network.sh.new <<'WM_NETNS'\n"
          "set -e\nip netns add wm-70001\n"
          "WM_NETNS\n"
          "chmod 0700 /var/lib/widemesh/tenants/shop.production/network.sh.new && mv -f "
          "/var/lib/widemesh/tenants/shop.production/network.sh.new "
          "/var/lib/widemesh/tenants/shop.production/network.sh\n"
          "sh /var/lib/widemesh/tenants/shop.production/network.sh\n");
}
