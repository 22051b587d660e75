#pragma once
// A server-side mkdir mutex (runtime::mutex_acquire_command) held for the lifetime of a guard.

#include <wm/runtime/commands.hpp>
#include <wm/transport/transport.hpp>

#include <string>

namespace wm::rack {

/// Acquires the mutex directory `dir` on `t` (waiting up to 45 s; a mutex older than 30 s is
/// broken as stale) and releases it on destruction, best effort. Throws Error at `step` when
/// it cannot be taken.
class ServerMutex {
  public:
    ServerMutex(transport::Transport& t, std::string dir, const std::string& step)
        : m_transport(t), m_dir(std::move(dir)) {
        transport::run_checked(t, step, runtime::mutex_acquire_command(m_dir, 45));
    }
    ~ServerMutex() {
        try {
            m_transport.run(runtime::mutex_release_command(m_dir));
        } catch (...) {
            // the mutex goes stale and is broken after 30 s
        }
    }
    ServerMutex(const ServerMutex&) = delete;
    ServerMutex& operator=(const ServerMutex&) = delete;

  private:
    transport::Transport& m_transport;
    std::string m_dir;
};

} // namespace wm::rack
