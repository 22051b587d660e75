#pragma once
// The explicit table of commands: one add_<group>_command per file in this folder.

#include "../context.hpp"

#include <CLI/CLI.hpp>

namespace wm::cli {

using AddCommandFn = void (*)(CLI::App& app, Context& ctx);

void add_init_command(CLI::App& app, Context& ctx);     // init.cpp
void add_validate_command(CLI::App& app, Context& ctx); // validate.cpp (validate, manifest)
void add_detect_command(CLI::App& app, Context& ctx);   // detect.cpp
void add_build_command(CLI::App& app, Context& ctx);    // build.cpp
void add_rack_command(CLI::App& app, Context& ctx);     // rack.cpp
void add_deploy_command(CLI::App& app, Context& ctx);   // deploy.cpp (deploy, rollback)
void add_deployments_command(CLI::App& app,
                             Context& ctx);           // deployments.cpp (deployments, ps, lock)
void add_hook_command(CLI::App& app, Context& ctx);   // hook.cpp
void add_config_command(CLI::App& app, Context& ctx); // config.cpp (config, stack config)
void add_scale_command(CLI::App& app, Context& ctx);  // scale.cpp (scale, restart)
void add_logs_command(CLI::App& app, Context& ctx);   // logs.cpp (logs, run)

/// In the order `wm --help` lists them.
inline constexpr AddCommandFn k_commands[] = {
    add_init_command,   add_validate_command,    add_detect_command, add_build_command,
    add_deploy_command, add_deployments_command, add_config_command, add_scale_command,
    add_logs_command,   add_rack_command,        add_hook_command,
};

/// Adds the flags every subcommand accepts (--json, -q, -v, --state-dir) to `cmd`.
void add_global_flags(CLI::App& cmd, Context& ctx);

} // namespace wm::cli
