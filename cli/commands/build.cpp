#include "commands.hpp"

namespace wm::cli {

void add_build_command(CLI::App& app, Context& ctx) {
    (void)app;
    (void)ctx;
}

} // namespace wm::cli
