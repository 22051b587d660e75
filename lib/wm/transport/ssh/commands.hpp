#pragma once
// Pure builders for the shell commands the SSH transport sends (tested by exact text).

#include <chrono>
#include <string>

namespace wm::transport::ssh {

/// How commands get root on a server: the login user is root, or it is not and every command
/// goes through `sudo -n` (cloud images log in as admin, debian or ubuntu).
enum class Privilege { root, sudo };

/// The exec request for `command`: run by /bin/sh -c (as root through `sudo -n` with
/// Privilege::sudo), under coreutils `timeout` when a timeout is set so the remote process dies
/// with the channel's deadline (+2 s for a KILL).
std::string exec_line(const std::string& command, std::chrono::milliseconds timeout,
                      Privilege privilege = Privilege::root);

/// Run as the login user right after connecting as another user than root: exits 0 when
/// `sudo -n` works, 127 when the server has no sudo, else sudo's own status (its stderr says
/// why, e.g. "a password is required").
std::string sudo_probe_command();

/// The Error text for a failed sudo_probe_command (`status`, its `stderr`) of `user`.
std::string sudo_refusal(const std::string& user, int status, const std::string& stderr_text);

/// Run as root: copies a file the login user uploaded (`from`, theirs, in their home) to `tmp`
/// owned by root with `mode`, renames it over `path` (parents created) and removes `from`.
std::string adopt_upload_command(const std::string& from, const std::string& tmp,
                                 const std::string& path, unsigned mode);

/// Writes stdin to `path` atomically: created 0600 under a temp name (never wider than the final
/// mode while the data is written), then chmod to `mode` and renamed; parents are created.
std::string write_file_command(const std::string& path, const std::string& tmp, unsigned mode);

/// Renames an uploaded temp file over its target (SFTP rename refuses to overwrite on OpenSSH).
std::string rename_command(const std::string& tmp, const std::string& path);

/// The temp sibling used while writing `path` ("<path>.tmp-<suffix>").
std::string temp_name(const std::string& path, unsigned suffix);

} // namespace wm::transport::ssh
