#include <wm/manifest/version.hpp>

#include <yaml-cpp/yaml.h>

namespace wm::manifest {

std::string library_version() {
#ifdef YAML_CPP_VERSION
    return "yaml-cpp " YAML_CPP_VERSION;
#else
    return "yaml-cpp 0.7";
#endif
}

} // namespace wm::manifest
