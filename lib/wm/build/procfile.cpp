#include <wm/base/error.hpp>
#include <wm/build/procfile.hpp>

#include <fmt/format.h>

#include <cctype>
#include <map>

namespace wm::build {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

bool valid_name(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    for (char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
            return false;
        }
    }
    return true;
}

// The service name of a Procfile process type: lowercase, '_' as '-'; throws when that is
// still no DNS label (a leading or trailing '-', or longer than 63 characters).
std::string service_name(std::string_view type, int line) {
    std::string name;
    for (char c : type) {
        name += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (name.front() == '-' || name.back() == '-' || name.size() > 63) {
        fail("Procfile:{}: process type \"{}\" cannot be a service name (letters, digits, '-' "
             "and '_', not starting or ending with '-' or '_', at most 63 characters)",
             line, type);
    }
    return name;
}

std::string unquote(std::string_view v) {
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
        return std::string(v.substr(1, v.size() - 2));
    }
    return std::string(v);
}

/// Calls fn(line_number, line) for each line.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
    int number = 0;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        fn(++number, line);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
}

} // namespace

ProcessTypes parse_procfile(std::string_view text, std::vector<std::string>* notes) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") { // UTF-8 byte order mark (Windows editors)
        text.remove_prefix(3);
    }
    ProcessTypes out;
    std::map<std::string, int> first_line;
    for_each_line(text, [&](int number, std::string_view raw) {
        std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#') {
            return;
        }
        size_t colon = line.find(':');
        std::string_view name = colon == std::string_view::npos ? "" : trim(line.substr(0, colon));
        std::string_view command =
            colon == std::string_view::npos ? "" : trim(line.substr(colon + 1));
        if (!valid_name(name) || command.empty()) {
            fail("Procfile:{}: expected 'name: command'", number);
        }
        std::string service = service_name(name, number);
        if (auto [it, added] = first_line.emplace(service, number); !added) {
            fail("Procfile:{}: process type \"{}\" is defined twice (first at line {})", number,
                 service, it->second);
        }
        if (notes != nullptr && service != name) {
            notes->push_back(fmt::format("Procfile:{}: process type \"{}\" runs as service "
                                         "\"{}\" (service names are DNS labels)",
                                         number, name, service));
        }
        out[service] = std::string(command);
    });
    return out;
}

ProcessTypes parse_release_output(std::string_view text) {
    ProcessTypes out;
    bool inside = false;
    for_each_line(text, [&](int, std::string_view line) {
        bool indented = !line.empty() && (line.front() == ' ' || line.front() == '\t');
        if (!indented) {
            inside = trim(line) == "default_process_types:";
            return;
        }
        size_t colon = line.find(':');
        if (inside && colon != std::string_view::npos) {
            out[unquote(trim(line.substr(0, colon)))] = unquote(trim(line.substr(colon + 1)));
        }
    });
    return out;
}

} // namespace wm::build
