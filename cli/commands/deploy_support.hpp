#pragma once
// Shared by deploy.cpp and deployments.cpp: the flags that pick an environment, and building
// the real ops services from the Context (the one place deploy commands read the environment).

#include "commands.hpp"

#include <wm/ops/inspect.hpp>
#include <wm/ops/services.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wm::cli {

/// -f/--file, -e/--environment, -s/--stack.
struct TargetFlags {
    std::string file;
    std::string environment;
    std::string stack;
};

/// Adds the TargetFlags options to `cmd`.
void add_target_flags(CLI::App* cmd, TargetFlags& flags);
/// The ops::Target of the flags (manifest path resolved against the current directory).
ops::Target target_of(const Context& ctx, const TargetFlags& flags);
/// The real services: state dir, SSH options from ~/.ssh and $SSH_AUTH_SOCK, who we are.
ops::ServicesConfig services_config(Context& ctx);
/// "90s", "5m", "1h", "30" (seconds); throws a usage Error otherwise.
std::chrono::seconds parse_duration(const std::string& text);
/// Left-aligned columns separated by two spaces; the first row is the header.
std::string render_table(const std::vector<std::vector<std::string>>& rows);

} // namespace wm::cli
