#pragma once
// Internal to wm_source: Heroku's .slugignore, applied to an exported stack directory.

#include <filesystem>
#include <string>
#include <vector>

namespace wm::source::detail {

/// Removes from `dir` every file and directory that a pattern of `dir`/.slugignore matches,
/// as Heroku does before a build: one pattern per line, `#` comments and blank lines skipped;
/// a pattern without a slash matches a name at any depth, one with a slash matches the path
/// from `dir` (a leading "/" is dropped), a trailing "/" matches directories only; `*`, `?`
/// and `[...]` as in fnmatch(3), never across "/". Negations ("!") are not supported (as on
/// Heroku) and are refused. Returns the removed paths, relative to `dir`, sorted.
std::vector<std::string> apply_slugignore(const std::filesystem::path& dir);

} // namespace wm::source::detail
