#pragma once
// Editing wm's known_hosts file (`wm rack forget-host`). Pure text functions plus one writer.

#include <filesystem>
#include <string>

namespace wm::transport {

/// The known_hosts host field for "host", "host:port" or "[host]:port" ("10.78.0.11",
/// "[10.78.0.11]:2222"; port 22 is written bare).
std::string host_field(const std::string& host);

/// `text` without the lines whose comma-separated host list names `field`; `removed` counts
/// them. Comments, blank lines and hashed entries are kept.
std::string remove_known_host(const std::string& text, const std::string& field, int& removed);

/// Removes `host`'s entries from the file (atomically, 0600); returns how many were removed.
int forget_host(const std::filesystem::path& known_hosts, const std::string& host);

} // namespace wm::transport
