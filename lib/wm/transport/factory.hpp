#pragma once
// Creating transports. cli/ fills SshOptions from the state directory, the user's ~/.ssh and the
// terminal; lib/ never looks at the environment itself.

#include <wm/base/process.hpp>
#include <wm/base/reporter.hpp>
#include <wm/transport/ssh_target.hpp>
#include <wm/transport/transport.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wm::transport {

/// Asks the user for a secret (a key passphrase) on the terminal.
using PromptFn = std::function<std::string(const std::string& prompt)>;

/// How SSH connections authenticate and verify hosts.
struct SshOptions {
    std::filesystem::path known_hosts;      ///< wm's own, in the state dir; new keys go here
    std::filesystem::path user_known_hosts; ///< ~/.ssh/known_hosts, read only; empty: none
    bool accept_new = false;  ///< record unknown host keys without asking (--accept-new)
    bool interactive = false; ///< stdin is a TTY: `confirm` may ask about unknown host keys
    std::chrono::seconds connect_timeout{10};
    int connect_attempts = 3;          ///< TCP connect retries with backoff (connect only)
    std::chrono::seconds keepalive{5}; ///< with tcp.cpp: a lost server is noticed within ~15 s
    std::vector<std::filesystem::path> identity_files; ///< tried after the agent, in order
    std::filesystem::path ssh_config;                  ///< ~/.ssh/config; empty: none
    /// OpenSSH's client, run as `ssh -G` to resolve hosts with the config exactly as `ssh`
    /// would; empty (not installed) or no runner: wm's own parser of ssh_config.
    std::filesystem::path ssh_program;
    ProcessRunner* runner = nullptr;
    std::string login_user; ///< the local account (OpenSSH's default User, which wm reads as root)
    std::filesystem::path home; ///< expands `~` and %d in ssh_config IdentityFile lines
    std::string agent_socket;   ///< $SSH_AUTH_SOCK; empty: no agent
    PromptFn prompt;            ///< passphrase prompt, only set on a TTY
    PromptFn confirm; ///< asks a question on the TTY and returns the answer line (first contact)
};

/// Opens an SSH connection (TCP, handshake, host key check, auth) to `server`. Throws Error
/// naming the server and the reason. The connection is reused for every call on the result.
std::unique_ptr<Transport> connect(const SshTarget& server, const SshOptions& opts,
                                   Reporter& reporter);

/// A transport running commands on this machine with /bin/sh.
std::unique_ptr<Transport> connect_local(std::string name = "local");

} // namespace wm::transport
