#pragma once
// Internal: YAML text -> Manifest, checking keys and types (not cross references).

#include <wm/manifest/detail/diagnostics.hpp>

#include <optional>
#include <string_view>

namespace wm::manifest::detail {

/// Parses `text`; problems go to `diag`. Returns what could be read (defaults not yet filled),
/// or nullopt when the text is not YAML at all.
std::optional<Manifest> parse_manifest(std::string_view text, Diagnostics& diag);

} // namespace wm::manifest::detail
