#include "version.hpp"

#include <wm/manifest/version.hpp>
#include <wm/slug/version.hpp>
#include <wm/source/version.hpp>
#include <wm/transport/ssh/version.hpp>

#include <CLI/Version.hpp>
#include <fmt/format.h>

namespace wm::cli {

void print_version(Context& ctx) {
    std::vector<std::string> libs = {
        source::library_version(),
        transport::ssh::library_version(),
        manifest::library_version(),
        fmt::format("fmt {}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100,
                    FMT_VERSION % 100),
        std::string("CLI11 ") + CLI11_VERSION,
        slug::library_version(),
    };
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
