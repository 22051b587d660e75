#pragma once
// Internal: turns a manifest's text into YAML documents with bounded time and memory. yaml-cpp
// 0.7's LoadAll loops forever, allocating an empty document each time, when the input starts
// with a block-level token it cannot use (a stray ','): a first pass that builds no nodes finds
// that before LoadAll runs.

#include <wm/manifest/detail/diagnostics.hpp>

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace wm::manifest::detail {

/// The largest manifest accepted, in bytes (a real one is a few KiB).
inline constexpr std::size_t max_manifest_bytes = 1024 * 1024;

/// The YAML documents of `text`, or nullopt after reporting to `diag` why there are none: the
/// text is over max_manifest_bytes, is not YAML (yaml-cpp's message at its line:column; tabs
/// in indentation named line by line), or stops the parser from consuming input ("unexpected
/// character" where it stopped). Time and memory are linear in the size of `text`.
std::optional<std::vector<YAML::Node>> load_documents(std::string_view text, Diagnostics& diag);

} // namespace wm::manifest::detail
