#pragma once
#include <string>

namespace wm::transport::ssh {
/// "libssh2 1.10.0": the linked library's runtime version.
std::string library_version();
} // namespace wm::transport::ssh
