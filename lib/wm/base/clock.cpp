#include <wm/base/clock.hpp>

#include <fmt/chrono.h>

namespace wm {

std::string format_utc(std::chrono::system_clock::time_point t) {
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                       std::chrono::time_point_cast<std::chrono::seconds>(t));
}

} // namespace wm
