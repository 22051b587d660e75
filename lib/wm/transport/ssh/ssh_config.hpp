#pragma once
// Where a server really is, by ~/.ssh/config. Where OpenSSH is installed, `ssh -G` resolves it
// with OpenSSH's own semantics (Include, Match, wildcards, tokens); without it, a parser of our
// own covers Host blocks with HostName, User, Port and IdentityFile. Pure: parsing and resolving
// take text and return values; running `ssh -G` is the transport's.

#include <wm/transport/factory.hpp>
#include <wm/transport/ssh_target.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace wm::transport::ssh {

/// One `Host` block (or the implicit leading block, patterns {"*"}).
struct ConfigBlock {
    std::vector<std::string> patterns; ///< may start with '!' (negation)
    std::string host_name;
    std::string user;
    int port = 0;
    std::vector<std::string> identity_files;
};

/// Parses ssh_config text. Unknown keywords are ignored; `Match` blocks are skipped.
std::vector<ConfigBlock> parse_ssh_config(const std::string& text);

/// OpenSSH host pattern match: `*` and `?` wildcards, case-insensitive.
bool host_pattern_match(const std::string& pattern, const std::string& host);

/// What a server resolves to: the address to dial, user, port and the key files to try first.
struct Resolved {
    std::string address;
    std::string user;
    int port = 22;
    std::vector<std::filesystem::path> identity_files; ///< `~` and %d/%h/%r/%u expanded
    std::vector<std::string> proxy_jump;    ///< ProxyJump hops, `[user@]host[:port]`, first first
    std::filesystem::path user_known_hosts; ///< a UserKnownHostsFile of the config; empty: default
};

/// `~` and the tokens %d (home), %h (host), %r and %u (user), %% in an ssh_config path.
std::string expand_path(const std::string& in, const std::filesystem::path& home,
                        const std::string& host, const std::string& user);

/// Applies the config to `server` like OpenSSH: the first value obtained wins, values given in
/// the target win over the config; defaults user root, port 22. `home` expands `~` and %d.
Resolved resolve(const SshTarget& server, const std::vector<ConfigBlock>& config,
                 const std::filesystem::path& home);

/// The command that prints OpenSSH's resolution of `server`: `ssh -G -F CONFIG [-l USER]
/// [-p PORT] -- ADDRESS` (`-F none` when `config` is empty: no config file at all).
std::vector<std::string> ssh_g_argv(const std::filesystem::path& ssh_program,
                                    const SshTarget& server, const std::filesystem::path& config);

/// Resolved from the output of ssh_g_argv (lines of `keyword value`). A user equal to
/// `login_user` (OpenSSH's default, the local account) counts as unset: wm's default is root.
/// IdentityFile lines naming OpenSSH's default keys (~/.ssh/id_*) are left to the default key
/// list; the others are expanded with `home` and must exist, after the target's own key.
/// A UserKnownHostsFile other than OpenSSH's default (known_hosts, known_hosts2) is kept.
Resolved parse_ssh_g(const std::string& output, const SshTarget& server,
                     const std::string& login_user, const std::filesystem::path& home);

/// Resolves `server` with opts.ssh_config (when the file exists): through `ssh -G` run by
/// opts.runner where opts.ssh_program is set, else with parse_ssh_config + resolve. Throws Error
/// with OpenSSH's message when `ssh -G` refuses the config.
Resolved resolve_target(const SshTarget& server, const SshOptions& opts);

} // namespace wm::transport::ssh
