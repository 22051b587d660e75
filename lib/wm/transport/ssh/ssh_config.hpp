#pragma once
// The part of ~/.ssh/config wm honours: Host blocks with HostName, User, Port, IdentityFile.
// Pure: parsing and resolving take text and return values.

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
};

/// Applies the config to `server` like OpenSSH: the first value obtained wins, values given in
/// the target win over the config; defaults user root, port 22. `home` expands `~` and %d.
Resolved resolve(const SshTarget& server, const std::vector<ConfigBlock>& config,
                 const std::filesystem::path& home);

} // namespace wm::transport::ssh
