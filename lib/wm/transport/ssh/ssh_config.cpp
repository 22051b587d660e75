#include <wm/transport/ssh/ssh_config.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace wm::transport::ssh {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// Splits a config line into words: `Key value`, `Key=value`, "quoted words".
std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    bool in_word = false;
    for (char c : line) {
        if (c == '"') {
            quoted = !quoted;
            in_word = true;
        } else if (!quoted &&
                   (std::isspace(static_cast<unsigned char>(c)) || (c == '=' && out.empty()))) {
            if (in_word) {
                out.push_back(cur);
            }
            cur.clear();
            in_word = false;
        } else {
            cur += c;
            in_word = true;
        }
    }
    if (in_word) {
        out.push_back(cur);
    }
    return out;
}

bool glob(const char* p, const char* s) {
    if (*p == '\0') {
        return *s == '\0';
    }
    if (*p == '*') {
        return glob(p + 1, s) || (*s != '\0' && glob(p, s + 1));
    }
    if (*s == '\0') {
        return false;
    }
    return (*p == '?' || *p == *s) && glob(p + 1, s + 1);
}

bool block_matches(const ConfigBlock& b, const std::string& host) {
    bool any = false;
    for (const auto& p : b.patterns) {
        if (!p.empty() && p[0] == '!') {
            if (host_pattern_match(p.substr(1), host)) {
                return false;
            }
        } else if (host_pattern_match(p, host)) {
            any = true;
        }
    }
    return any;
}

void apply(ConfigBlock& b, const std::string& key, const std::string& value) {
    if (key == "hostname") {
        b.host_name = value;
    } else if (key == "user") {
        b.user = value;
    } else if (key == "port") {
        b.port = std::atoi(value.c_str());
    } else if (key == "identityfile") {
        b.identity_files.push_back(value);
    }
}

} // namespace

std::vector<ConfigBlock> parse_ssh_config(const std::string& text) {
    std::vector<ConfigBlock> blocks{ConfigBlock{{"*"}, {}, {}, 0, {}}};
    bool skipping = false; // inside a Match block
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto w = words(line);
        if (w.empty() || w[0][0] == '#') {
            continue;
        }
        std::string key = lower(w[0]);
        if (key == "host") {
            blocks.push_back(ConfigBlock{{w.begin() + 1, w.end()}, {}, {}, 0, {}});
            skipping = false;
        } else if (key == "match") {
            skipping = true;
        } else if (!skipping && w.size() >= 2) {
            apply(blocks.back(), key, w[1]);
        }
    }
    return blocks;
}

std::string expand_path(const std::string& in, const std::filesystem::path& home,
                        const std::string& host, const std::string& user) {
    std::string out;
    size_t start = 0;
    if (in.rfind("~/", 0) == 0) {
        out = home.string();
        start = 1;
    }
    for (size_t i = start; i < in.size(); ++i) {
        if (in[i] != '%' || i + 1 == in.size()) {
            out += in[i];
            continue;
        }
        char t = in[++i];
        out += t == 'd'                 ? home.string()
               : t == 'h'               ? host
               : (t == 'r' || t == 'u') ? user
               : t == '%'               ? std::string("%")
                                        : std::string("%") + t;
    }
    return out;
}

bool host_pattern_match(const std::string& pattern, const std::string& host) {
    return glob(lower(pattern).c_str(), lower(host).c_str());
}

Resolved resolve(const SshTarget& server, const std::vector<ConfigBlock>& config,
                 const std::filesystem::path& home) {
    ConfigBlock merged;
    for (const auto& b : config) {
        if (!block_matches(b, server.address)) {
            continue;
        }
        merged.host_name = merged.host_name.empty() ? b.host_name : merged.host_name;
        merged.user = merged.user.empty() ? b.user : merged.user;
        merged.port = merged.port == 0 ? b.port : merged.port;
        for (const auto& f : b.identity_files) {
            merged.identity_files.push_back(f);
        }
    }
    Resolved r;
    r.address = merged.host_name.empty() ? server.address
                                         : expand_path(merged.host_name, home, server.address, "");
    r.user = !server.user.empty() ? server.user : !merged.user.empty() ? merged.user : "root";
    r.port = server.port > 0 ? server.port : merged.port > 0 ? merged.port : 22;
    if (!server.key.empty()) {
        r.identity_files.emplace_back(expand_path(server.key, home, server.address, r.user));
    }
    for (const auto& f : merged.identity_files) {
        r.identity_files.emplace_back(expand_path(f, home, server.address, r.user));
    }
    return r;
}

} // namespace wm::transport::ssh
