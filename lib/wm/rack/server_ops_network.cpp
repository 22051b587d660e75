// ServerOps: the network namespace of an environment on this server and the address its
// instances are reached at.
#include <wm/rack/netns.hpp>
#include <wm/rack/server_ops.hpp>

namespace wm::rack {

std::optional<NetLink> ServerOps::network(const AppEnv& ae) {
    if (!m_options.isolate_network) {
        return std::nullopt;
    }
    auto id = tenant(ae); // the link is numbered by the tenant uid: stable across deploys
    if (!id) {
        return std::nullopt; // not root: no namespaces either
    }
    std::string key = ae.flat();
    if (auto it = m_links.find(key); it != m_links.end()) {
        return it->second;
    }
    NetLink link = at_step(server(), "network", [&] { return net_link(key, id->uid); });
    run("network", netns_install_command(
                       m_layout.tenant_network_script(key),
                       netns_setup_command(link, m_layout.tenant_etc_dir(key) + "/resolv.conf")));
    m_links[key] = link;
    return link;
}

std::string ServerOps::upstream_host(const AppEnv& ae) {
    auto link = network(ae);
    return link ? link->ns_addr : proxy::Upstreams{}.host;
}

} // namespace wm::rack
