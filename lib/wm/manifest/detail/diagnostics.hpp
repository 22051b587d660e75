#pragma once
// Internal: collects problems and remembers where every value of the file sits, so checks
// that run on the model (cross references) can still point at a line and column.

#include <wm/manifest/load.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace wm::manifest::detail {

/// "parent.key", or "key" at the top.
std::string join_path(const std::string& parent, const std::string& key);
/// "parent[index]".
std::string index_path(const std::string& parent, std::size_t index);

class Diagnostics;

/// Reports every line of `text` indented with a tab (yaml-cpp's own message for them, "illegal
/// map value", points elsewhere); returns whether there was one. Called when parsing failed,
/// since block scalars may legitimately hold tabs.
bool report_tab_indentation(std::string_view text, Diagnostics& diag);

/// The problems found in one manifest file and the position of every key path read, so a
/// problem found later (on the model) still points at a line and column.
class Diagnostics {
  public:
    /// `file` is the name problems are reported with (FILE:LINE:COL).
    explicit Diagnostics(std::string file) : m_file(std::move(file)) {}

    /// Records a problem at `at` (1-based) about `key_path`.
    void add(Mark at, std::string key_path, std::string message);
    /// Records a problem at the remembered position of `key_path`.
    void add(const std::string& key_path, std::string message);
    /// Remembers that the value at `key_path` starts at `at`.
    void remember(const std::string& key_path, Mark at);
    /// Remembers that the key naming the value at `key_path` starts at `at`.
    void remember_key(const std::string& key_path, Mark at) { m_key_marks.emplace(key_path, at); }
    /// Where the key of `key_path` sits (else where its value sits).
    Mark key_where(const std::string& key_path) const;
    /// The remembered position of `key_path`, else of its nearest remembered parent, else 1:1.
    Mark where(const std::string& key_path) const;
    bool empty() const { return m_problems.empty(); } ///< no problem recorded
    /// Whether the file had a value at `key_path`.
    bool seen(const std::string& key_path) const { return m_marks.count(key_path) != 0; }
    /// Whether a problem was already reported about `key_path`.
    bool reported(const std::string& key_path) const;
    /// The problems in file order (line, column; then the order they were found).
    std::vector<Problem> problems() const;

  private:
    std::string m_file;
    std::vector<Problem> m_problems;
    std::map<std::string, Mark> m_marks;
    std::map<std::string, Mark> m_key_marks;
};

} // namespace wm::manifest::detail
