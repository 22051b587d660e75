#pragma once
// `wm --version`: the versions of the libraries wm is linked with.

#include <string>
#include <vector>

namespace wm::ops {

/// "libgit2 X", "libssh2 X", "yaml-cpp X", "fmt X", `front_end` (the command-line library's own
/// line, which only cli/ knows), "libarchive X", in that order.
std::vector<std::string> library_versions(const std::string& front_end);

} // namespace wm::ops
