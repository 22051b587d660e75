#include <wm/transport/factory.hpp>
#include <wm/transport/ssh/ssh_transport.hpp>

namespace wm::transport {

std::unique_ptr<Transport> connect(const SshTarget& server, const SshOptions& opts,
                                   Reporter& reporter) {
    return std::make_unique<ssh::SshTransport>(server, opts, reporter);
}

} // namespace wm::transport
