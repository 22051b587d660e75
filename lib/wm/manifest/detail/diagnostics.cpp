#include <wm/manifest/detail/diagnostics.hpp>

#include <algorithm>

namespace wm::manifest::detail {

std::string join_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

std::string index_path(const std::string& parent, std::size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

void Diagnostics::add(Mark at, std::string key_path, std::string message) {
    m_problems.push_back({m_file, at.line, at.column, std::move(key_path), std::move(message)});
}

void Diagnostics::add(const std::string& key_path, std::string message) {
    add(where(key_path), key_path, std::move(message));
}

void Diagnostics::remember(const std::string& key_path, Mark at) { m_marks.emplace(key_path, at); }

Mark Diagnostics::where(const std::string& key_path) const {
    std::string path = key_path;
    while (true) {
        if (auto it = m_marks.find(path); it != m_marks.end()) {
            return it->second;
        }
        auto cut = path.find_last_of(".[");
        if (path.empty()) {
            return {1, 1};
        }
        path = cut == std::string::npos ? "" : path.substr(0, cut);
    }
}

bool Diagnostics::reported(const std::string& key_path) const {
    return std::any_of(m_problems.begin(), m_problems.end(),
                       [&](const Problem& p) { return p.key_path == key_path; });
}

Mark Diagnostics::key_where(const std::string& key_path) const {
    auto it = m_key_marks.find(key_path);
    return it != m_key_marks.end() ? it->second : where(key_path);
}

std::vector<Problem> Diagnostics::problems() const {
    std::vector<Problem> sorted = m_problems;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return sorted;
}

bool report_tab_indentation(std::string_view text, Diagnostics& diag) {
    bool found = false;
    int line = 1;
    for (std::size_t start = 0; start < text.size(); ++line) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view row = text.substr(start, end - start);
        std::size_t indent = row.find_first_not_of(" \t");
        std::size_t tab = row.substr(0, indent).find('\t');
        if (tab != std::string_view::npos) {
            diag.add({line, static_cast<int>(tab) + 1}, "",
                     "invalid YAML: tab in indentation (YAML indents with spaces)");
            found = true;
        }
        start = end + 1;
    }
    return found;
}

} // namespace wm::manifest::detail
