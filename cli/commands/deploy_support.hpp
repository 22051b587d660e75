#pragma once
// Shared by the commands that reach servers (deploy.cpp, deployments.cpp, rack.cpp): the flags
// that pick an environment or tune connections, and the SSH options and real ops services built
// from the Context (the one place these commands read the environment and the terminal).

#include "commands.hpp"

#include <wm/ops/inspect.hpp>
#include <wm/ops/services.hpp>
#include <wm/ops/ssh_setup.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wm::cli {

/// -f/--file, -e/--environment, -s/--stack.
/// How servers are reached: --accept-new, --connect-timeout and --parallel (`wm rack`).
struct ConnectFlags {
    bool accept_new = false;
    int connect_timeout = 10; ///< seconds
    int parallel = 8;
};

/// Which environment and stack a command works on, and how it reaches their servers.
struct TargetFlags {
    std::string file;
    std::string environment;
    std::string stack;
    ConnectFlags connect;
};

/// Adds the TargetFlags options to `cmd` (the ConnectFlags ones included: every command that
/// takes a target connects to its servers); without `short_file`, the manifest is only --file
/// (`wm logs -f` follows, as tail -f).
void add_target_flags(CLI::App* cmd, TargetFlags& flags, bool short_file = true);
/// The ops::Target of the flags (manifest path resolved against the current directory).
ops::Target target_of(const Context& ctx, const TargetFlags& flags);
/// Adds the ConnectFlags options to `cmd`.
void add_connect_flags(CLI::App* cmd, ConnectFlags& flags);
/// The SSH options of every command (ops::ssh_options): $HOME's ~/.ssh, $SSH_AUTH_SOCK, and a
/// passphrase prompt on the terminal when stdin is one.
transport::SshOptions ssh_options(Context& ctx, const ConnectFlags& flags = {});
/// The real services: state dir, ssh_options() with the command's connect flags, who we are.
ops::ServicesConfig services_config(Context& ctx, const TargetFlags& flags);
/// --wait[=DURATION]: queue for the deploy lease instead of failing when it is held.
struct WaitFlag {
    std::string value;
    CLI::Option* option = nullptr;
};
/// Adds --wait to `cmd`.
void add_wait_flag(CLI::App* cmd, WaitFlag& flag);
/// nullopt without --wait; 10 minutes for a bare --wait; else the duration given.
std::optional<std::chrono::seconds> wait_of(const WaitFlag& flag);
/// "90s", "5m", "1h", "30" (seconds); throws a usage Error otherwise.
std::chrono::seconds parse_duration(const std::string& text);
/// Left-aligned columns separated by two spaces; the first row is the header.
std::string render_table(const std::vector<std::vector<std::string>>& rows);

} // namespace wm::cli
