#pragma once
// Splitting text that commands print: the one split of wm's parsers.

#include <string>
#include <string_view>
#include <vector>

namespace wm {

/// The parts of `text` between each `sep`, as std::getline reads them: empty parts between
/// two separators are kept, one after a trailing separator is not, and "" has no part.
std::vector<std::string> split(std::string_view text, char sep);

} // namespace wm
