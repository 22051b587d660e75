#include <wm/manifest/checks.hpp>
#include <wm/manifest/detail/yaml_reader.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace wm::manifest::detail {

std::string describe_kind(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map:
        return "a map";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Scalar:
        return fmt::format("\"{}\"", node.Scalar());
    default:
        return "nothing";
    }
}

Mark mark_of(const YAML::Node& node, Mark fallback) {
    if (node.IsNull() || node.Mark().line < 0) {
        return fallback;
    }
    return {node.Mark().line + 1, node.Mark().column + 1};
}

void YamlReader::wrong_type(const YAML::Node& node, const std::string& path,
                            const std::string& expected) {
    m_diag.add(path, fmt::format("expected {}, got {}", expected, describe_kind(node)));
}

bool YamlReader::fields(const YAML::Node& node, const std::string& path,
                        const std::vector<std::string>& known,
                        const std::vector<std::string>& required, const EntryFn& fn) {
    std::set<std::string> seen;
    bool ok = entries(
        node, path, "key",
        [&](const std::string& key, const YAML::Node& value, const std::string& value_path) {
            seen.insert(key);
            if (std::find(known.begin(), known.end(), key) != known.end()) {
                fn(key, value, value_path);
                return;
            }
            std::string hint = suggest(key, known);
            m_diag.add(m_diag.key_where(value_path), value_path,
                       hint.empty()
                           ? fmt::format("unknown key \"{}\"", key)
                           : fmt::format("unknown key \"{}\" (did you mean \"{}\"?)", key, hint));
        });
    if (!ok) {
        return false;
    }
    for (const auto& key : required) {
        if (seen.count(key) == 0) {
            m_diag.add(path, fmt::format("missing required key \"{}\"", key));
        }
    }
    return true;
}

bool YamlReader::entries(const YAML::Node& node, const std::string& path, const std::string& what,
                         const EntryFn& fn) {
    if (node.IsNull()) {
        return true;
    }
    if (!node.IsMap()) {
        wrong_type(node, path, "a map");
        return false;
    }
    std::map<std::string, int> first_line;
    for (auto it = node.begin(); it != node.end(); ++it) {
        Mark key_mark = mark_of(it->first, m_diag.where(path));
        if (!it->first.IsScalar()) {
            m_diag.add(key_mark, path,
                       fmt::format("expected a {} name, got {}", what, describe_kind(it->first)));
            continue;
        }
        std::string key = it->first.Scalar();
        std::string value_path = join_path(path, key);
        if (auto [prev, inserted] = first_line.emplace(key, key_mark.line); !inserted) {
            m_diag.add(
                key_mark, value_path,
                fmt::format("duplicate {} \"{}\" (first at line {})", what, key, prev->second));
            continue;
        }
        // A null value has no position of its own: point at its key instead.
        m_diag.remember(value_path, mark_of(it->second, key_mark));
        m_diag.remember_key(value_path, key_mark);
        fn(key, it->second, value_path);
    }
    return true;
}

bool YamlReader::elements(const YAML::Node& node, const std::string& path,
                          const std::string& expected, const EntryFn& fn) {
    if (node.IsNull()) {
        return true;
    }
    if (!node.IsSequence()) {
        wrong_type(node, path, expected);
        return false;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        std::string element_path = index_path(path, i);
        m_diag.remember(element_path, mark_of(node[i], m_diag.where(path)));
        fn("", node[i], element_path);
    }
    return true;
}

std::optional<std::string> YamlReader::string(const YAML::Node& node, const std::string& path) {
    if (!node.IsScalar()) {
        wrong_type(node, path, "a string");
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<int> YamlReader::integer(const YAML::Node& node, const std::string& path) {
    if (!node.IsScalar()) {
        wrong_type(node, path, "an integer");
        return std::nullopt;
    }
    const std::string& text = node.Scalar();
    std::size_t start = !text.empty() && text[0] == '-' ? 1 : 0;
    if (text.size() == start || text.size() > start + 9 ||
        !std::all_of(text.begin() + static_cast<long>(start), text.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; })) {
        wrong_type(node, path, "an integer");
        return std::nullopt;
    }
    return std::stoi(text);
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, const std::string& path) {
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    if (text == "true" || text == "True" || text == "TRUE") {
        return true;
    }
    if (text == "false" || text == "False" || text == "FALSE") {
        return false;
    }
    wrong_type(node, path, "true or false");
    return std::nullopt;
}

std::optional<std::vector<std::string>> YamlReader::strings(const YAML::Node& node,
                                                            const std::string& path) {
    std::vector<std::string> out;
    bool ok = true;
    bool is_list = elements(node, path, "a list of strings",
                            [&](const std::string&, const YAML::Node& v, const std::string& p) {
                                auto s = string(v, p);
                                ok = ok && s.has_value();
                                out.push_back(s.value_or(""));
                            });
    if (!is_list || !ok) {
        return std::nullopt;
    }
    return out;
}

std::optional<std::map<std::string, std::string>> YamlReader::string_map(const YAML::Node& node,
                                                                         const std::string& path) {
    std::map<std::string, std::string> out;
    bool ok = true;
    bool is_map = entries(node, path, "key",
                          [&](const std::string& k, const YAML::Node& v, const std::string& p) {
                              auto s = v.IsNull() ? std::optional<std::string>("") : string(v, p);
                              ok = ok && s.has_value();
                              out[k] = s.value_or("");
                          });
    if (!is_map || !ok) {
        return std::nullopt;
    }
    return out;
}

} // namespace wm::manifest::detail
