#pragma once
// Host key verification against wm's known_hosts (state dir) and the user's ~/.ssh/known_hosts.
// Trust on first use: an unknown key is recorded in wm's file (when allowed) and its SHA256
// fingerprint reported; a changed key is always refused.

#include <wm/base/reporter.hpp>
#include <wm/transport/ssh/handles.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wm::transport::ssh {

/// Standard base64 (with padding) of raw bytes.
std::string base64_encode(std::string_view raw);
/// The raw bytes of standard base64 text; invalid input gives "".
std::string base64_decode(std::string_view text);

/// OpenSSH's fingerprint of a raw public key blob: "SHA256:" + unpadded base64 of its sha256.
std::string fingerprint_sha256(std::string_view key_blob);

/// The host field of a known_hosts line for `address`: "10.78.0.11" on port 22, else
/// "[10.78.0.11]:2222". Always written with the port for non-22 ports because libssh2 lets a plain
/// entry match any port.
std::string known_hosts_host(const std::string& address, int port);

/// 1-based line of `text` (a known_hosts file) whose plain host field names `address`/`port`
/// with a key of `key_type` ("ssh-ed25519"), or nullopt (hashed entries cannot be located).
std::optional<int> find_known_hosts_line(const std::string& text, const std::string& address,
                                         int port, const std::string& key_type);

/// Where host keys are looked up and recorded, and whether recording is allowed.
struct HostKeyPolicy {
    std::filesystem::path known_hosts;      ///< wm's; new keys are appended here
    std::filesystem::path user_known_hosts; ///< read only; may be empty
    bool may_record = false;                ///< --accept-new: record unknown keys unasked
    /// On a terminal: asks whether to trust an unknown key (OpenSSH's question); only "yes"
    /// records it. Empty: an unknown key is refused unless `may_record`.
    std::function<std::string(const std::string& question)> confirm;
};

/// Checks the key the server presented on `session`. Throws Error (naming `server`) when the key
/// changed, or is unknown and may not be recorded; reports a recorded key's fingerprint.
void verify_host_key(LIBSSH2_SESSION* session, const std::string& server,
                     const std::string& address, int port, const HostKeyPolicy& policy,
                     Reporter& reporter);

} // namespace wm::transport::ssh
