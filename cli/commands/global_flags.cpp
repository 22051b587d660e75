#include "commands.hpp"

namespace wm::cli {

void add_global_flags(CLI::App& cmd, Context& ctx) {
    auto* group = "Global options";
    cmd.add_flag("--json", ctx.options.json, "Machine-readable output (JSON, or NDJSON events)")
        ->group(group);
    cmd.add_flag("-q,--quiet", ctx.options.quiet, "Print only warnings and errors")->group(group);
    cmd.add_flag("-v,--verbose", ctx.options.verbose, "More detail (repeatable)")->group(group);
    cmd.add_option("--state-dir", ctx.options.state_dir,
                   "Local state directory (default: $WM_HOME, else ~/.widemesh)")
        ->group(group);
}

} // namespace wm::cli
