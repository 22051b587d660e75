#pragma once
// Pure builders of what confines a sandboxed process besides seccomp: the unprivileged identity
// it drops to (setpriv, run inside bubblewrap by root), the read-only system it sees and the
// minimal /etc made for it. Everything returns text or argv; nothing here runs a process.

#include <map>
#include <string>
#include <vector>

namespace wm::sandbox {

/// Who a sandboxed process runs as: a uid/gid of its own, never 0.
struct Identity {
    int uid = 0;
    int gid = 0;
    std::string name;          ///< user and group name inside the sandbox
    std::string home = "/app"; ///< its home directory in passwd
};

/// Tenant uids (= gids) are allocated on a server from this range: above Debian's dynamic
/// system range and systemd's DynamicUser range (61184-65519), below the default subordinate
/// ids of useradd (100000+).
inline constexpr int k_first_tenant_uid = 70000;
inline constexpr int k_last_tenant_uid = 99999;

/// The user name of a tenant key: "wm-" + the key with every character outside [a-z0-9-]
/// replaced by '-', cut to 32 characters (the passwd limit of useradd).
std::string tenant_user_name(const std::string& key);

/// The argv prefix that drops to `id` from root: setpriv with the real, effective and saved
/// uid/gid set, supplementary groups cleared, the inheritable, ambient and bounding capability
/// sets emptied and no_new_privs set. After it, the permitted and effective sets are empty
/// too (the kernel clears them when uid 0 becomes another).
std::vector<std::string> drop_argv(const Identity& id);

/// The bubblewrap arguments of the system every sandbox sees: /usr read-only with the /lib,
/// /lib64, /bin and /sbin links, its own /proc (bubblewrap keeps /proc/sys read-only) and /dev,
/// private /tmp and /dev/shm (1777), and only the non-secret files of the server's /etc that
/// programs need (CA certificates, resolv.conf, localtime, alternatives, ld.so.cache, ...;
/// each only when present). Never the server's whole /etc.
std::vector<std::string> system_argv();

/// The bubblewrap arguments binding the generated files of `etc_dir` (see etc_files) read-only
/// over /etc.
std::vector<std::string> etc_argv(const std::string& etc_dir);

/// The generated /etc files of a sandbox running as `id`, by file name: passwd and group
/// (root, the identity, nobody), hosts (localhost) and nsswitch.conf (files, then dns).
std::map<std::string, std::string> etc_files(const Identity& id);

} // namespace wm::sandbox
