#include <wm/rack/drain.hpp>

#include <fmt/format.h>

namespace wm::rack {

std::string drain_command(const std::vector<int>& ports, int limit_ms) {
    if (limit_ms <= 0) {
        return "";
    }
    if (ports.empty()) {
        return fmt::format("sleep {}.{:03d}\n", limit_ms / 1000, limit_ms % 1000);
    }
    std::string filter;
    for (int p : ports) {
        filter += fmt::format("{}sport = :{}", filter.empty() ? "" : " or ", p);
    }
    // `date +%s%N` is GNU date's (Debian, Ubuntu: the servers wm supports).
    return fmt::format(R"SH(drain_end=$(( $(date +%s%N) / 1000000 + {limit} ))
while ss -tnH state established '( {filter} )' 2>/dev/null | grep -q .; do
	[ "$(( $(date +%s%N) / 1000000 ))" -lt "$drain_end" ] || break
	sleep 0.05
done
)SH",
                       fmt::arg("limit", limit_ms), fmt::arg("filter", filter));
}

} // namespace wm::rack
