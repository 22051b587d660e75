#pragma once
// Keyed hashes (the plain sha256 helpers are in fs.hpp; both are implemented in hash.cpp, the
// one file that includes OpenSSL).

#include <string>
#include <string_view>

namespace wm::fs {

/// Lower-case hex HMAC-SHA256 (RFC 2104) of `data` under `key` (64 characters). Without the key
/// the digest tells nothing of `data`, so it may fingerprint config that holds secrets where a
/// plain hash would let anyone test guesses of their values. Throws Error when OpenSSL fails.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

} // namespace wm::fs
