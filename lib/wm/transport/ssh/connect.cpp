#include <wm/base/error.hpp>
#include <wm/transport/factory.hpp>

namespace wm::transport {

std::unique_ptr<Transport> connect(const Endpoint& server, const SshOptions&, Reporter&) {
    throw Error("ssh transport not built yet").with_context("server " + server.name);
}

} // namespace wm::transport
