#pragma once
// TCP connect with an overall timeout and retries with backoff (connect only: once a session
// exists, nothing is retried behind the caller's back).

#include <wm/transport/ssh/handles.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace wm::transport::ssh {

/// Connects to `address:port` (name or IP). Attempts up to `attempts` times with backoff
/// (0.25 s, 0.5 s, 1 s ...) while the overall `timeout` allows. Throws Error with the cause of
/// the last attempt ("connection refused", "timed out after 10s", "no route to host").
Socket connect_tcp(const std::string& address, int port, std::chrono::milliseconds timeout,
                   int attempts);

/// Why the TCP connection under `fd` is no longer usable ("Connection timed out", "closed by
/// the server", "closed"), or nullopt while it is established or `fd` is not a TCP socket (a
/// jump host's tunnel). libssh2 reports a lost peer in words of its own ("transport read",
/// "Unexpected error") and has consumed the socket's error by then, so the kernel's view of the
/// connection is what tells a lost server apart (tcp(7): TCP_INFO, tcpi_state).
std::optional<std::string> lost_connection(int fd);

} // namespace wm::transport::ssh
