#pragma once
// The server-side settings of an app env that outlive deploys: the config store of `wm config`
// (one 0600 file per variable, root only) and the instance counts of `wm scale`. Pure builders
// of their remote commands and parsers of what those print, tested by exact text. Values never
// appear in command text: they are written as files through the transport and read from stdout.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wm::rack {

/// Longest NAME=VALUE entry a process environment takes, its NUL included (Linux
/// MAX_ARG_STRLEN: 32 pages of 4 KiB).
inline constexpr size_t k_max_env_entry = 128 * 1024;

/// Variables to set (a value) or unset (nullopt), by name.
using ConfigChanges = std::map<std::string, std::optional<std::string>>;

/// Prints every variable of the store `dir` as "<name> <bytes>\n" followed by its raw value, in
/// name order; prints nothing when the store does not exist.
std::string read_store_command(const std::string& dir);
/// The variables read_store_command printed. Throws Error when the listing is cut short.
std::map<std::string, std::string> parse_store(const std::string& output);
/// Prints the app env's hash key (64 hex digits: 32 random bytes) kept as `.hash_key` in the
/// store `dir` (a dot file, so read_store_command never lists it), creating it first when
/// missing. Concurrent first calls agree: the key is linked into place, never overwritten.
std::string hash_key_command(const std::string& dir);
/// The key hash_key_command printed. Throws Error when it is not 64 hex digits.
std::string parse_hash_key(const std::string& output);
/// Creates the store `dir` (and its parents) and makes it 0700.
std::string prepare_store_command(const std::string& dir);
/// Removes the files of `names` from the store `dir` (a missing one is no error).
std::string unset_store_command(const std::string& dir, const std::vector<std::string>& names);
/// Empty when `name` is a valid variable name and NAME=VALUE fits in k_max_env_entry; else why
/// not, naming the variable ("config FOO: value of 200000 bytes is over the limit ...").
std::string config_entry_problem(const std::string& name, const std::string& value);

/// The count `wm scale` set for one service, and the manifest's count when it was set: the
/// setting holds while the manifest still says `manifest`.
struct ScaleSetting {
    int instances = 1;
    int manifest = 1;
};
/// Settings by service name.
using ScaleSettings = std::map<std::string, ScaleSetting>;

/// The stored JSON form ({"schema":1,"services":{"web":{"instances":3,"manifest":1}}}).
std::string scale_to_json(const ScaleSettings& settings);
/// Reads scale_to_json's form; empty or unreadable text (a hand-edited file) is no setting.
ScaleSettings scale_from_json(const std::string& text);

} // namespace wm::rack
