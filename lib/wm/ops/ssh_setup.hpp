#pragma once
// The one place SSH options are made, for every command that reaches servers (deploy, rollback,
// deployments, ps, lock and every `wm rack` command): same files, same host-key and passphrase
// policy. cli/ reads the facts (environment, terminal); this turns them into options.

#include <wm/transport/factory.hpp>

#include <chrono>
#include <filesystem>
#include <string>

namespace wm::ops {

/// What cli/ read from the environment, the terminal and the flags.
struct SshSetup {
    std::filesystem::path state_dir; ///< wm's known_hosts lives here
    std::filesystem::path home;      ///< $HOME; empty: no ~/.ssh files are read
    std::string agent_socket;        ///< $SSH_AUTH_SOCK; empty: no agent
    bool terminal = false;           ///< stdin is a TTY
    transport::PromptFn ask_secret;  ///< reads a passphrase from the terminal
    bool accept_new = false;         ///< --accept-new
    std::chrono::seconds connect_timeout{10};
};

/// SSH options: wm's known_hosts in the state dir; ~/.ssh/known_hosts (read only), ~/.ssh/config
/// and the default keys id_ed25519, id_ecdsa, id_rsa under `home`; the agent. Unknown host keys
/// are recorded with a notice and key passphrases asked only on a terminal, one question at a
/// time (`ask_secret` is dropped otherwise, so a command without one fails instead of waiting).
transport::SshOptions ssh_options(const SshSetup& setup);

} // namespace wm::ops
