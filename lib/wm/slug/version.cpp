#include <wm/slug/version.hpp>

#include <archive.h>

namespace wm::slug {

std::string library_version() { return archive_version_details(); }

} // namespace wm::slug
