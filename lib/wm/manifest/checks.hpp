#pragma once
// Pure value checks used by the manifest validator (and by commands that take names on the
// command line). Each returns an empty string when the value is fine, else the reason.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wm::manifest {

/// Why `name` is not a DNS label (lowercase letters, digits, dashes; 1-63 characters; no dash
/// at either end), or "" when it is one.
std::string dns_label_problem(std::string_view name);

/// Why `domain` is not a host name made of DNS labels separated by dots, or "".
std::string domain_problem(std::string_view domain);

/// Bytes in a memory size: plain bytes ("1048576"), or a number with a binary unit, K/M/G/T
/// (also Ki/Mi/Gi/Ti, KiB/...; all powers of 1024), or KB/MB/GB/TB (powers of 1000).
/// nullopt when unparsable or zero.
std::optional<std::uint64_t> parse_memory(std::string_view text);

/// Why `schedule` is not a valid cron schedule, or "". Accepted: @hourly, @daily, @weekly,
/// @monthly, @yearly, @annually, @midnight, "@every <N><s|m|h>", and five-field cron
/// (minute hour day-of-month month day-of-week) with *, lists, ranges, steps and names.
std::string schedule_problem(std::string_view schedule);

/// Why `path` is not a URL path the proxy can match and that stays one token in its config,
/// or "": it starts with "/" and has only RFC 3986 path characters (unreserved, sub-delims,
/// ':', '@', '/' and %XX escapes); `{`, `}`, quotes, spaces and '#' never pass. With
/// `wildcard`, one trailing '*' is allowed (a route prefix such as "/api/*").
std::string url_path_problem(std::string_view path, bool wildcard);

/// Why `address` cannot name an SSH server, or "": a host name, an IPv4 or IPv6 address, or a
/// Host alias of ~/.ssh/config, made of letters, digits and ". _ - :" (never starting with '-',
/// which ssh would read as an option).
std::string server_address_problem(std::string_view address);

/// Why `user` is not a login name, or "": letters, digits, '.', '_' and '-', not starting with
/// '-' (useradd(8)'s portable set), at most 32 characters.
std::string login_name_problem(std::string_view user);

/// The most bytes of one environment variable, "NAME=value" plus its terminating NUL: Linux's
/// MAX_ARG_STRLEN (32 pages of 4 KiB; execve(2) fails with E2BIG beyond it).
inline constexpr std::size_t max_env_var_bytes = 131072;

/// Why the variable `name`=`value` cannot be passed to a process on Linux (too long for
/// execve), or "".
std::string env_var_problem(std::string_view name, std::string_view value);

/// Levenshtein distance between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a likely typo, else "".
std::string suggest(std::string_view word, const std::vector<std::string>& candidates);

} // namespace wm::manifest
