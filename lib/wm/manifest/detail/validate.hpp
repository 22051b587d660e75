#pragma once
// Internal: defaults and the checks that need the whole model (cross references).

#include <wm/manifest/detail/diagnostics.hpp>

namespace wm::manifest::detail {

/// Fills defaults (embedded local rack, default environment and stack, rack regions), adds the
/// `registered` racks the manifest does not declare, and reports every cross-reference problem
/// to `diag`.
void complete_and_check(Manifest& m, Diagnostics& diag, const std::vector<RackSpec>& registered);

} // namespace wm::manifest::detail
