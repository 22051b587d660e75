#pragma once
// The real implementations behind ops::Env, owned in one place so each command builds them
// with one call: servers over SSH (or this machine), build::build_stack, the state journal.

#include <wm/base/clock.hpp>
#include <wm/base/process.hpp>
#include <wm/ops/env.hpp>
#include <wm/ops/rack_server.hpp>

#include <filesystem>
#include <memory>

namespace wm::ops {

/// What cli/ resolved from flags, the environment and the terminal.
struct ServicesConfig {
    std::filesystem::path state_dir;
    transport::SshOptions ssh;
    Identity identity;
    int parallelism = 8;
    const Cancellation* cancel = nullptr; ///< Ctrl-C, polled during long waits
};

/// Owns the real connector, builder and journal; hands out an Env over them.
class RealServices {
  public:
    RealServices(ServicesConfig config, Reporter& reporter, ProcessRunner& runner, Clock& clock);
    ~RealServices();
    RealServices(const RealServices&) = delete;
    RealServices& operator=(const RealServices&) = delete;

    Env& env() { return m_env; }

  private:
    std::unique_ptr<ServerConnector> m_connector;
    std::unique_ptr<StackBuilder> m_builder;
    std::unique_ptr<Journal> m_journal;
    Env m_env;
};

} // namespace wm::ops
