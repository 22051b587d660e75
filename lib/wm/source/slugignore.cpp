#include "slugignore.hpp"

#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>

#include <algorithm>
#include <sstream>

#include <fnmatch.h>

namespace wm::source::detail {

namespace stdfs = std::filesystem;

namespace {

struct Pattern {
    std::string glob;
    bool anchored = false; ///< has a slash: matched against the whole relative path
    bool dir_only = false; ///< ended in "/"
};

std::vector<Pattern> parse_patterns(const std::string& text) {
    std::vector<Pattern> out;
    std::istringstream in(text);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        while (!line.empty() &&
               (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
            line.pop_back();
        }
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line[0] == '!') {
            fail(".slugignore:{}: '{}': negations are not supported (as on Heroku)", n, line);
        }
        Pattern p;
        p.dir_only = line.back() == '/';
        while (!line.empty() && line.back() == '/') {
            line.pop_back();
        }
        p.anchored = line.find('/') != std::string::npos;
        p.glob = line[0] == '/' ? line.substr(1) : line;
        if (!p.glob.empty()) {
            out.push_back(p);
        }
    }
    return out;
}

bool matches(const Pattern& p, const std::string& rel, bool is_dir) {
    if (p.dir_only && !is_dir) {
        return false;
    }
    if (p.anchored) {
        return ::fnmatch(p.glob.c_str(), rel.c_str(), FNM_PATHNAME) == 0;
    }
    std::string name = rel.substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
    return ::fnmatch(p.glob.c_str(), name.c_str(), 0) == 0;
}

} // namespace

std::vector<std::string> apply_slugignore(const stdfs::path& dir) {
    stdfs::path file = dir / ".slugignore";
    if (!stdfs::is_regular_file(stdfs::symlink_status(file))) {
        return {};
    }
    std::vector<Pattern> patterns = parse_patterns(fs::read_file(file));
    std::vector<std::string> removed;
    for (auto it = stdfs::recursive_directory_iterator(dir); it != stdfs::end(it); ++it) {
        std::string rel = it->path().lexically_relative(dir).generic_string();
        bool is_dir = it->is_directory() && !it->is_symlink();
        bool hit = std::any_of(patterns.begin(), patterns.end(),
                               [&](const Pattern& p) { return matches(p, rel, is_dir); });
        if (hit) {
            removed.push_back(rel);
            if (is_dir) {
                it.disable_recursion_pending();
            }
        }
    }
    for (const std::string& rel : removed) {
        stdfs::remove_all(dir / rel);
    }
    std::sort(removed.begin(), removed.end());
    return removed;
}

} // namespace wm::source::detail
