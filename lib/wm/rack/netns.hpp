#pragma once
// Pure builders of the network isolation of app environments on a server: each app env (one
// tenant) has a network namespace of its own, joined to the server by a veth pair with a /30
// of k_link_range derived from the tenant uid; an nftables table lets the server reach in (the
// proxy, health checks), lets the namespaces out to the world (masquerade) and refuses the
// rest. Everything returns text; nothing here runs a process.

#include <string>

namespace wm::rack {

/// The private range every app env link is cut from: one /30 per tenant uid (70000-99999 ->
/// 30000 blocks of 4 addresses, below 10.251.255.255).
inline constexpr const char* k_link_range = "10.250.0.0/15";

/// One app env's namespace and its link to the server.
struct NetLink {
    /// Network namespace name (/run/netns/<netns>) and the server's end of the veth pair (the
    /// namespace's end is its eth0): both "wm-<uid>", so a namespace and its link always pair.
    std::string netns;
    std::string host_if;
    std::string host_addr; ///< the server's address on the link (the namespace's gateway)
    std::string ns_addr;   ///< the namespace's address: instances are reached there
};

/// The link of tenant `key` ("<app>.<env>") with `uid` (sandbox::k_first_tenant_uid and up):
/// block uid - 70000 of k_link_range, the server at .1 of it, the namespace at .2.
/// Throws Error when uid is outside the tenant range.
NetLink net_link(const std::string& key, int uid);

/// The path that joins the namespace (`nsenter --net=<path>`).
std::string netns_path(const NetLink& link);

/// The nftables ruleset (an `nft -f` input replacing the table `inet widemesh` atomically):
/// from a link only replies to the server's own connections reach the server (no sshd, no
/// proxy ports, no host service, no DNS stub); forwarding into a link only for replies; from a
/// link only outward (never into another link), masqueraded.
std::string firewall_ruleset();

/// The idempotent root script bringing `link` up (namespace, veth pair, addresses, loopback,
/// default route), enabling IPv4 forwarding, applying firewall_ruleset() and writing the
/// namespace's resolv.conf to `resolv_conf`: the server's /etc/resolv.conf, or systemd-resolved's
/// list of upstream servers when the former names a loopback stub (127.0.0.53 does not answer
/// inside the namespace). Safe to run again at every deploy.
std::string netns_setup_command(const NetLink& link, const std::string& resolv_conf);

/// The root script that stores `setup` (a netns_setup_command) at `script` (0700), then runs it:
/// an instance's run script runs it again when the namespace is missing (after a reboot).
std::string netns_install_command(const std::string& script, const std::string& setup);

} // namespace wm::rack
