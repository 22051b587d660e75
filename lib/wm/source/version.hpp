#pragma once
#include <string>

namespace wm::source {
/// "libgit2 1.5.1": the linked library's runtime version.
std::string library_version();
} // namespace wm::source
