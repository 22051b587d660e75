#pragma once
#include <string>

namespace wm::slug {
/// "libarchive 3.6.2 zlib/1.2.13 ...": the linked library's version details.
std::string library_version();
} // namespace wm::slug
