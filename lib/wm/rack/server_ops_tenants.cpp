// ServerOps: the tenant sandbox of an environment on this server (its uid, its /etc, the
// seccomp filter) and what confines every command run from a release.
#include <wm/base/error.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/sandbox/seccomp.hpp>

#include <fmt/format.h>

namespace wm::rack {

namespace {
/// One tenant per app + environment: "<app>.<env>" (unambiguous, see AppEnv::flat).
std::string tenant_key(const AppEnv& ae) { return ae.flat(); }
} // namespace

bool ServerOps::is_root() {
    if (!m_root) {
        m_root = run("prepare layout", user_id_command()).out == "0\n";
    }
    return *m_root;
}

std::string ServerOps::seccomp_file() {
    if (!m_seccomp_written) {
        std::string machine = run("sandbox", machine_command()).out;
        auto arch = sandbox::arch_from_uname(machine);
        if (!arch) {
            fail_step("sandbox", fmt::format("no seccomp filter for architecture '{}' (x86_64 "
                                             "and aarch64 are supported)",
                                             machine.substr(0, machine.find('\n'))));
        }
        std::string bpf =
            at_step(server(), "sandbox", [&] { return sandbox::export_filter(*arch); });
        // Written beside and renamed: an instance restarting meanwhile reads a whole program.
        std::string path = m_layout.seccomp_filter();
        run("sandbox", make_dirs_command({path.substr(0, path.rfind('/'))}));
        m_transport.write_file(path + ".new", bpf, 0644);
        run("sandbox", move_command(path + ".new", path));
        m_seccomp_written = true;
    }
    return m_layout.seccomp_filter();
}

std::optional<sandbox::Identity> ServerOps::tenant(const AppEnv& ae) {
    if (!is_root()) {
        return std::nullopt; // cannot switch users: commands run as the login user
    }
    std::string key = tenant_key(ae);
    if (auto it = m_tenants.find(key); it != m_tenants.end()) {
        return it->second;
    }
    auto r = run("tenant", allocate_tenant_command(m_layout, key));
    sandbox::Identity id;
    id.uid = id.gid = std::atoi(r.out.c_str());
    id.name = sandbox::tenant_user_name(key);
    if (id.uid < sandbox::k_first_tenant_uid) {
        fail_step("tenant", fmt::format("cannot allocate a uid for '{}': {}", key, r.out));
    }
    std::string etc = m_layout.tenant_etc_dir(key);
    run("tenant", make_dirs_command({etc}));
    for (const auto& [file, text] : sandbox::etc_files(id)) {
        m_transport.write_file(etc + "/" + file, text, 0644);
    }
    run("tenant", restrict_dirs_command({m_layout.app_env_dir(ae)}, id.gid));
    m_tenants[key] = id;
    return id;
}

void ServerOps::confine(runtime::SandboxSpec& spec, const AppEnv& ae) {
    spec.seccomp_file = seccomp_file();
    spec.user = tenant(ae);
    if (spec.user) {
        spec.etc_dir = m_layout.tenant_etc_dir(tenant_key(ae));
    }
    if (auto link = network(ae)) {
        spec.netns_path = netns_path(*link);
        spec.netns_setup = m_layout.tenant_network_script(tenant_key(ae));
        spec.resolv_conf = spec.etc_dir + "/resolv.conf";
    }
}

} // namespace wm::rack
