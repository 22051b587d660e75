#include <wm/manifest/version.hpp>
#include <wm/ops/version.hpp>
#include <wm/slug/version.hpp>
#include <wm/source/version.hpp>
#include <wm/transport/ssh/version.hpp>

#include <fmt/format.h>

namespace wm::ops {

std::vector<std::string> library_versions(const std::string& front_end) {
    return {
        source::library_version(),
        transport::ssh::library_version(),
        manifest::library_version(),
        fmt::format("fmt {}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100,
                    FMT_VERSION % 100),
        front_end,
        slug::library_version(),
    };
}

} // namespace wm::ops
