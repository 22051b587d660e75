#include <wm/base/error.hpp>
#include <wm/base/process.hpp>
#include <wm/rack/netns.hpp>
#include <wm/sandbox/confine.hpp>

#include <fmt/format.h>

namespace wm::rack {

namespace {

/// The IPv4 address `offset` addresses above 10.250.0.0.
std::string link_address(int offset) {
    return fmt::format("10.{}.{}.{}", 250 + offset / 65536, offset / 256 % 256, offset % 256);
}

} // namespace

NetLink net_link(const std::string& key, int uid) {
    if (uid < sandbox::k_first_tenant_uid || uid > sandbox::k_last_tenant_uid) {
        fail("tenant uid {} of '{}' is outside {}-{}: no network link for it", uid, key,
             sandbox::k_first_tenant_uid, sandbox::k_last_tenant_uid);
    }
    int block = (uid - sandbox::k_first_tenant_uid) * 4;
    std::string name = "wm-" + std::to_string(uid);
    return {name, name, link_address(block + 1), link_address(block + 2)};
}

std::string netns_path(const NetLink& link) { return "/run/netns/" + link.netns; }

// The rules read best as the nft file they are.
std::string firewall_ruleset() {
    return fmt::format(R"NFT(table inet widemesh
delete table inet widemesh
table inet widemesh {{
	chain input {{
		type filter hook input priority 0; policy accept;
		iifname "wm-*" ct state established,related accept
		iifname "wm-*" reject
	}}
	chain forward {{
		type filter hook forward priority 0; policy accept;
		oifname "wm-*" ct state established,related accept
		iifname "wm-*" oifname "wm-*" reject
		oifname "wm-*" drop
		iifname "wm-*" accept
	}}
	chain postrouting {{
		type nat hook postrouting priority 100; policy accept;
		ip saddr {} oifname != "wm-*" masquerade
	}}
}}
)NFT",
                       k_link_range);
}

std::string netns_setup_command(const NetLink& link, const std::string& resolv_conf) {
    return fmt::format(R"SH(set -e
ns={ns}
[ -e /run/netns/"$ns" ] || ip netns add "$ns"
ip link show {hif} >/dev/null 2>&1 || ip link add {hif} type veth peer name eth0 netns "$ns"
ip addr replace {host}/30 dev {hif}
ip link set {hif} up
ip -n "$ns" link set lo up
ip -n "$ns" addr replace {inner}/30 dev eth0
ip -n "$ns" link set eth0 up
ip -n "$ns" route replace default via {host}
echo 1 > /proc/sys/net/ipv4/ip_forward
nft -f - <<'WM_NFT'
{rules}WM_NFT
r=/etc/resolv.conf
if grep -qs '^nameserver[[:space:]]*127\.' "$r" && [ -s /run/systemd/resolve/resolv.conf ]; then
	r=/run/systemd/resolve/resolv.conf
fi
cat "$r" > {resolv}.new 2>/dev/null || : > {resolv}.new
chmod 0644 {resolv}.new && mv -f {resolv}.new {resolv}
)SH",
                       fmt::arg("ns", shell_quote(link.netns)), fmt::arg("hif", link.host_if),
                       fmt::arg("host", link.host_addr), fmt::arg("inner", link.ns_addr),
                       fmt::arg("rules", firewall_ruleset()),
                       fmt::arg("resolv", shell_quote(resolv_conf)));
}

std::string netns_install_command(const std::string& script, const std::string& setup) {
    std::string dir = script.substr(0, script.rfind('/'));
    return fmt::format(R"SH(set -e
mkdir -p {dir}
cat > {script}.new <<'WM_NETNS'
{setup}WM_NETNS
chmod 0700 {script}.new && mv -f {script}.new {script}
sh {script}
)SH",
                       fmt::arg("dir", shell_quote(dir)), fmt::arg("script", shell_quote(script)),
                       fmt::arg("setup", setup));
}

} // namespace wm::rack
