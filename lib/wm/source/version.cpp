#include <wm/source/version.hpp>

#include <fmt/format.h>
#include <git2.h>

namespace wm::source {

std::string library_version() {
    int major = 0, minor = 0, rev = 0;
    git_libgit2_version(&major, &minor, &rev);
    return fmt::format("libgit2 {}.{}.{}", major, minor, rev);
}

} // namespace wm::source
