#pragma once
// Where one SSH server is, in transport's own words: the transport module knows no manifests,
// so lib/wm/rack converts manifest::ServerSpec into this (rack::to_ssh_target, the only place).

#include <string>

namespace wm::transport {

/// One server reached over SSH. Empty `user`/`key` and `port` 0 mean "from ~/.ssh/config, else
/// the default" (root, ssh-agent then ~/.ssh/id_ed25519 / id_ecdsa, 22).
struct SshTarget {
    std::string name;    ///< display name for messages; defaults to `address`
    std::string address; ///< host name, IP, or a Host alias of ~/.ssh/config
    std::string user;
    int port = 0;
    std::string key; ///< private key file
    /// Jump hosts reached first, comma-separated `[user@]host[:port]` as OpenSSH's ProxyJump;
    /// empty: ~/.ssh/config's ProxyJump, else direct.
    std::string jump;
};

/// Parses `[ssh://][user@]host[:port]` ("[::1]:2222" for IPv6); `what` names it in errors
/// ("server", "jump host"). Unset user and port stay unset; `name` is the address. Throws a
/// usage Error ("invalid server 'x:0': port must be 1-65535").
SshTarget parse_ssh_address(const std::string& text, const std::string& what);

} // namespace wm::transport
