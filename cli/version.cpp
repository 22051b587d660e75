#include "version.hpp"

#include <wm/ops/version.hpp>

#include <CLI/Version.hpp>
#include <fmt/format.h>

namespace wm::cli {

void print_version(Context& ctx) {
    std::vector<std::string> libs = ops::library_versions(std::string("CLI11 ") + CLI11_VERSION);
    if (ctx.options.json) {
        ctx.print_json({{"version", WM_VERSION}, {"libraries", libs}});
        return;
    }
    std::string text = fmt::format("wm {}\n", WM_VERSION);
    for (const auto& l : libs) {
        text += "  " + l + "\n";
    }
    ctx.print(text);
}

} // namespace wm::cli
