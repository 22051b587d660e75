#pragma once
// Several small files written in one remote command instead of one transfer each: an instance
// takes six files, and every transfer is a round trip to the server.

#include <string>
#include <vector>

namespace wm::rack {

/// One file to write: never a secret (its content is part of the command text).
struct FileWrite {
    std::string path;
    std::string content; ///< text without NUL bytes
    unsigned mode = 0644;
};

/// Shell text writing every file atomically (a temporary name in the same directory, its mode,
/// then renamed over the path), in order; stops at the first failure with a non-zero status.
/// Directories must exist. Empty `files`: "true".
std::string write_files_command(const std::vector<FileWrite>& files);

/// The commands run one after another in one round trip, stopping at the first that fails
/// (its status is the result).
std::string chain_commands(const std::vector<std::string>& commands);

} // namespace wm::rack
