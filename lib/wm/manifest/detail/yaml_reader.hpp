#pragma once
// Internal: typed, position-aware reads from yaml-cpp nodes. Every read that fails records a
// problem and returns nullopt, so parsing continues and all problems surface at once.
// Only forward-declares YAML::Node: yaml-cpp headers stay inside this module's .cpp files.

#include <wm/manifest/detail/diagnostics.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace wm::manifest::detail {

/// Reads typed values out of yaml-cpp nodes; every read that fails reports a problem to the
/// Diagnostics and returns nullopt (or false), and remembers where each value sits.
class YamlReader {
  public:
    /// Called per entry: key, its value node, the value's key path.
    using EntryFn =
        std::function<void(const std::string& key, const YAML::Node& value, const std::string&)>;

    /// Reports to `diagnostics`, which must outlive the reader.
    explicit YamlReader(Diagnostics& diagnostics) : m_diag(diagnostics) {}

    /// Checks `node` at `path` is a map (null counts as empty) whose keys are among `known`;
    /// reports unknown keys (with a suggestion), duplicate and missing `required` keys; calls
    /// `fn` for each known key. Returns false when `node` is not a map.
    bool fields(const YAML::Node& node, const std::string& path,
                const std::vector<std::string>& known, const std::vector<std::string>& required,
                const EntryFn& fn);
    /// Checks `node` is a map keyed by names (null counts as empty); reports duplicate names
    /// (`what` names the kind: "stack") and calls `fn` for each first occurrence.
    bool entries(const YAML::Node& node, const std::string& path, const std::string& what,
                 const EntryFn& fn);
    /// Checks `node` is a list (null counts as empty); calls `fn` with "" as key per element.
    bool elements(const YAML::Node& node, const std::string& path, const std::string& expected,
                  const EntryFn& fn);

    /// A scalar's text (numbers and booleans as written); a map or list is reported.
    std::optional<std::string> string(const YAML::Node& node, const std::string& path);
    /// A whole number of at most 9 digits, optionally negative; anything else is reported.
    std::optional<int> integer(const YAML::Node& node, const std::string& path);
    /// true/false (YAML 1.2 core schema spellings: true, True, TRUE, false, False, FALSE).
    std::optional<bool> boolean(const YAML::Node& node, const std::string& path);
    /// A list of strings; nullopt (each bad element reported) unless every element is one.
    std::optional<std::vector<std::string>> strings(const YAML::Node& node,
                                                    const std::string& path);
    /// A map of names to scalar values (config): numbers and booleans become their text.
    std::optional<std::map<std::string, std::string>> string_map(const YAML::Node& node,
                                                                 const std::string& path);

    /// Reports "expected <expected>, got <kind of node>" at `path`.
    void wrong_type(const YAML::Node& node, const std::string& path, const std::string& expected);
    Diagnostics& diagnostics() { return m_diag; } ///< where this reader reports

  private:
    Diagnostics& m_diag;
};

/// "a map", "a list", "a string", "nothing".
std::string describe_kind(const YAML::Node& node);
/// The node's 1-based position, or `fallback` when yaml-cpp has none (null nodes).
Mark mark_of(const YAML::Node& node, Mark fallback);

} // namespace wm::manifest::detail
