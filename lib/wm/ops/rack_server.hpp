#pragma once
// The real Server: rack::ServerOps over a Transport (SSH, or this machine for the local rack).

#include <wm/base/reporter.hpp>
#include <wm/ops/server.hpp>
#include <wm/transport/factory.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace wm::ops {

/// Connects to planned servers: `local` through LocalTransport with the layout rooted at
/// <state_dir>/local, the others over SSH with `ssh` (known_hosts checked there). `cancel`
/// (may be null) interrupts the servers' long waits.
class RackConnector : public ServerConnector {
  public:
    RackConnector(std::filesystem::path state_dir, transport::SshOptions ssh,
                  std::string control_host, const Cancellation* cancel = nullptr);
    std::unique_ptr<Server> connect(const PlannedServer& server, Reporter& reporter) override;

  private:
    std::filesystem::path m_state_dir;
    transport::SshOptions m_ssh;
    std::string m_control_host;
    const Cancellation* m_cancel;
};

} // namespace wm::ops
