#include <wm/transport/ssh/version.hpp>

#include <libssh2.h>

namespace wm::transport::ssh {

std::string library_version() { return std::string("libssh2 ") + libssh2_version(0); }

} // namespace wm::transport::ssh
