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
};

} // namespace wm::transport
