#pragma once
// The bounded drain of old web instances after the proxy switched away from them: wm waits as
// long as a connection to them is still open, and never longer than the drain limit.

#include <string>
#include <vector>

namespace wm::rack {

/// Shell text that returns once no established TCP connection has one of `ports` as its local
/// port (the instances' accepted connections: requests the proxy still has in flight there),
/// polling every 50 ms, or after `limit_ms` milliseconds at the latest; with no ports it
/// waits the whole limit (nothing to look at). `limit_ms` <= 0: returns at once (empty text).
std::string drain_command(const std::vector<int>& ports, int limit_ms);

} // namespace wm::rack
