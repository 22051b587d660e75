#pragma once
// Pure builders for the shell commands the SSH transport sends (tested by exact text).

#include <chrono>
#include <string>

namespace wm::transport::ssh {

/// The exec request for `command`: run by /bin/sh -c, under coreutils `timeout` when a timeout
/// is set so the remote process dies with the channel's deadline (+2 s for a KILL).
std::string exec_line(const std::string& command, std::chrono::milliseconds timeout);

/// Writes stdin to `path` atomically: created 0600 under a temp name (never wider than the final
/// mode while the data is written), then chmod to `mode` and renamed; parents are created.
std::string write_file_command(const std::string& path, const std::string& tmp, unsigned mode);

/// Renames an uploaded temp file over its target (SFTP rename refuses to overwrite on OpenSSH).
std::string rename_command(const std::string& tmp, const std::string& path);

/// The temp sibling used while writing `path` ("<path>.tmp-<suffix>").
std::string temp_name(const std::string& path, unsigned suffix);

} // namespace wm::transport::ssh
