#pragma once
// TCP connect with an overall timeout and retries with backoff (connect only: once a session
// exists, nothing is retried behind the caller's back).

#include <wm/transport/ssh/handles.hpp>

#include <chrono>
#include <string>

namespace wm::transport::ssh {

/// Connects to `address:port` (name or IP). Attempts up to `attempts` times with backoff
/// (0.25 s, 0.5 s, 1 s ...) while the overall `timeout` allows. Throws Error with the cause of
/// the last attempt ("connection refused", "timed out after 10s", "no route to host").
Socket connect_tcp(const std::string& address, int port, std::chrono::milliseconds timeout,
                   int attempts);

} // namespace wm::transport::ssh
