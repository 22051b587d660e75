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
    transport::PromptFn ask_line;    ///< asks a question on the terminal, returns the answer
    bool accept_new = false;         ///< --accept-new
    std::chrono::seconds connect_timeout{10};
    std::filesystem::path ssh_program; ///< OpenSSH's `ssh` on PATH; empty: not installed
    ProcessRunner* runner = nullptr;   ///< runs `ssh -G`
    std::string login_user;            ///< the local account's name (passwd, not $USER)
};

/// SSH options: wm's known_hosts in the state dir; ~/.ssh/known_hosts (read only), ~/.ssh/config
/// (resolved by `ssh -G` where OpenSSH is installed) and the default keys id_ed25519, id_ecdsa,
/// id_rsa under `home`; the agent. On a terminal, an unknown host key is recorded only when the
/// user answers "yes" to OpenSSH's question, and key passphrases are asked, one question at a time;
/// off a terminal both are dropped (an unknown key is refused unless --accept-new; a command never
/// waits for an answer).
transport::SshOptions ssh_options(const SshSetup& setup);

} // namespace wm::ops
