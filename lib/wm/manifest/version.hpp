#pragma once
#include <string>

namespace wm::manifest {
/// "yaml-cpp 0.7": the yaml-cpp series wm was built against (0.7 has no version macro).
std::string library_version();
} // namespace wm::manifest
