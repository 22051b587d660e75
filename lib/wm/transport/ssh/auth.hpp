#pragma once
// Public key authentication: ssh-agent first, then key files. Password auth is never tried.

#include <wm/transport/factory.hpp>
#include <wm/transport/ssh/handles.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace wm::transport::ssh {

/// What a private key file is, read from its text without decrypting it.
struct KeyInfo {
    std::string type;       ///< "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "" if unknown
    bool encrypted = false; ///< needs a passphrase
};

/// Reads the type and encryption of an OpenSSH or PEM private key (pure).
KeyInfo describe_private_key(const std::string& text);

/// Who to log in as and with what.
struct AuthInput {
    std::string user;
    std::vector<std::filesystem::path>
        explicit_keys; ///< the target's key / IdentityFile: must exist
    std::vector<std::filesystem::path> default_keys; ///< tried when present
    std::string agent_socket;                        ///< empty: no agent
    PromptFn prompt;                                 ///< passphrases, only on a TTY
};

/// Authenticates `session`; throws Error listing what was tried and why each failed (with the
/// RSA/rsa-sha2 explanation when an RSA key was refused).
void authenticate(LIBSSH2_SESSION* session, int fd, Deadline deadline, const AuthInput& in);

} // namespace wm::transport::ssh
