#pragma once
// Internal: defaults and the checks that need the whole model (cross references).

#include <wm/manifest/detail/diagnostics.hpp>

namespace wm::manifest::detail {

/// Fills defaults (embedded local rack, default environment and stack, rack regions) and
/// reports every cross-reference problem to `diag`.
void complete_and_check(Manifest& m, Diagnostics& diag);

} // namespace wm::manifest::detail
