#include <wm/manifest/checks.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <numeric>

namespace wm::manifest {

namespace {

bool is_label_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

std::optional<std::uint64_t> parse_uint(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::uint64_t> unit_factor(std::string unit) {
    for (auto& c : unit) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (unit.empty() || unit == "B") {
        return 1;
    }
    static constexpr std::array<char, 4> k_prefixes = {'K', 'M', 'G', 'T'};
    for (std::size_t i = 0; i < k_prefixes.size(); ++i) {
        std::string p(1, k_prefixes[i]);
        std::uint64_t binary = std::uint64_t{1} << (10 * (i + 1));
        if (unit == p || unit == p + "I" || unit == p + "IB") {
            return binary;
        }
        if (unit == p + "B") {
            std::uint64_t decimal = 1;
            for (std::size_t j = 0; j <= i; ++j) {
                decimal *= 1000;
            }
            return decimal;
        }
    }
    return std::nullopt;
}

struct CronField {
    const char* name;
    int min;
    int max;
    std::vector<std::string> names; ///< names[i] stands for min + i
};

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t pos = text.find(sep, start);
        parts.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
        if (pos == std::string_view::npos) {
            return parts;
        }
        start = pos + 1;
    }
}

std::optional<int> cron_value(std::string_view text, const CronField& field) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::size_t i = 0; i < field.names.size(); ++i) {
        if (lower == field.names[i]) {
            return field.min + static_cast<int>(i);
        }
    }
    auto v = parse_uint(text);
    if (!v || *v > 1000) {
        return std::nullopt;
    }
    return static_cast<int>(*v);
}

std::string cron_value_problem(std::string_view text, const CronField& field, int& out) {
    auto v = cron_value(text, field);
    if (!v) {
        return fmt::format("{} \"{}\" is not a number", field.name, text);
    }
    if (*v < field.min || *v > field.max) {
        return fmt::format("{} {} out of range {}-{}", field.name, *v, field.min, field.max);
    }
    out = *v;
    return "";
}

std::string cron_item_problem(std::string_view item, const CronField& field) {
    auto parts = split(item, '/');
    if (parts.size() > 2) {
        return fmt::format("{} \"{}\" has more than one step", field.name, item);
    }
    if (parts.size() == 2) {
        auto step = parse_uint(parts[1]);
        if (!step || *step == 0) {
            return fmt::format("{} step \"{}\" is not a positive number", field.name, parts[1]);
        }
    }
    std::string_view range = parts[0];
    if (range == "*") {
        return "";
    }
    auto bounds = split(range, '-');
    if (bounds.size() > 2 || range.empty()) {
        return fmt::format("{} \"{}\" is not a value, range or *", field.name, item);
    }
    int low = 0;
    int high = 0;
    if (auto p = cron_value_problem(bounds[0], field, low); !p.empty()) {
        return p;
    }
    if (bounds.size() == 2) {
        if (auto p = cron_value_problem(bounds[1], field, high); !p.empty()) {
            return p;
        }
        if (high < low) {
            return fmt::format("{} range {} is backwards", field.name, range);
        }
    }
    return "";
}

const std::array<CronField, 5>& cron_fields() {
    static const std::array<CronField, 5> k_fields = {{
        {"minute", 0, 59, {}},
        {"hour", 0, 23, {}},
        {"day of month", 1, 31, {}},
        {"month",
         1,
         12,
         {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
        {"day of week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
    }};
    return k_fields;
}

std::string every_problem(std::string_view spec) {
    if (spec.size() < 2) {
        return "\"@every\" needs a duration like 30s, 5m or 2h";
    }
    char unit = spec.back();
    auto n = parse_uint(spec.substr(0, spec.size() - 1));
    if ((unit != 's' && unit != 'm' && unit != 'h') || !n) {
        return fmt::format("\"@every {}\": expected a duration like 30s, 5m or 2h", spec);
    }
    if (*n == 0) {
        return "\"@every\" needs a positive duration";
    }
    return "";
}

std::string five_field_problem(std::string_view schedule) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < schedule.size()) {
        while (i < schedule.size() && schedule[i] == ' ') {
            ++i;
        }
        std::size_t start = i;
        while (i < schedule.size() && schedule[i] != ' ') {
            ++i;
        }
        if (i > start) {
            fields.push_back(schedule.substr(start, i - start));
        }
    }
    if (fields.size() != 5) {
        return fmt::format("expected 5 fields (minute hour day-of-month month day-of-week) or "
                           "@hourly, @daily, @weekly, @monthly, @yearly, @every <N><s|m|h>; "
                           "got {} field{}",
                           fields.size(), fields.size() == 1 ? "" : "s");
    }
    for (std::size_t f = 0; f < fields.size(); ++f) {
        for (auto item : split(fields[f], ',')) {
            if (auto p = cron_item_problem(item, cron_fields()[f]); !p.empty()) {
                return p;
            }
        }
    }
    return "";
}

} // namespace

std::string dns_label_problem(std::string_view name) {
    if (name.empty()) {
        return "must not be empty";
    }
    if (name.size() > 63) {
        return fmt::format("\"{}\" is longer than 63 characters", name);
    }
    if (!std::all_of(name.begin(), name.end(), is_label_char)) {
        return fmt::format("\"{}\" may contain only lowercase letters, digits and dashes", name);
    }
    if (name.front() == '-' || name.back() == '-') {
        return fmt::format("\"{}\" must not start or end with a dash", name);
    }
    return "";
}

std::string domain_problem(std::string_view domain) {
    if (domain.size() > 253) {
        return fmt::format("\"{}\" is longer than 253 characters", domain);
    }
    for (auto label : split(domain, '.')) {
        if (label.empty() || !dns_label_problem(label).empty()) {
            return fmt::format("\"{}\" is not a valid domain name (lowercase DNS labels "
                               "separated by dots)",
                               domain);
        }
    }
    return "";
}

std::optional<std::uint64_t> parse_memory(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
        ++digits;
    }
    auto number = parse_uint(text.substr(0, digits));
    auto factor = unit_factor(std::string(text.substr(digits)));
    if (!number || !factor || *number == 0) {
        return std::nullopt;
    }
    if (*number > UINT64_MAX / *factor) {
        return std::nullopt;
    }
    return *number * *factor;
}

std::string schedule_problem(std::string_view schedule) {
    static const std::array<std::string_view, 7> k_macros = {
        "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight"};
    if (std::find(k_macros.begin(), k_macros.end(), schedule) != k_macros.end()) {
        return "";
    }
    if (schedule.rfind("@every ", 0) == 0) {
        return every_problem(schedule.substr(7));
    }
    if (!schedule.empty() && schedule.front() == '@') {
        return fmt::format("unknown macro \"{}\" (use @hourly, @daily, @weekly, @monthly, "
                           "@yearly or @every <N><s|m|h>)",
                           schedule);
    }
    return five_field_problem(schedule);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string suggest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

std::string env_var_problem(std::string_view name, std::string_view value) {
    std::size_t bytes = name.size() + 1 + value.size() + 1;
    if (bytes <= max_env_var_bytes) {
        return "";
    }
    return fmt::format("value is {} bytes; Linux passes at most {} bytes per variable "
                       "(NAME=value, MAX_ARG_STRLEN): keep large values in a file",
                       value.size(), max_env_var_bytes - name.size() - 2);
}

namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// RFC 3986 section 3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
bool is_path_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("-._~!$&'()*+,;=:@/").find(c) != std::string_view::npos;
}

} // namespace

std::string url_path_problem(std::string_view path, bool wildcard) {
    if (path.empty() || path.front() != '/') {
        return fmt::format("path \"{}\" must start with \"/\"", path);
    }
    for (std::size_t i = 0; i < path.size(); ++i) {
        char c = path[i];
        if (c == '%' && i + 2 < path.size() && is_hex(path[i + 1]) && is_hex(path[i + 2])) {
            i += 2;
        } else if (c == '*' && !(wildcard && i + 1 == path.size())) {
            return fmt::format("path \"{}\": '*' is allowed only at the end of a route path", path);
        } else if (!is_path_char(c)) {
            return fmt::format("path \"{}\" has the character '{}' at position {}; a URL path "
                               "has letters, digits, \"-._~!$&'()*+,;=:@/\" and %XX escapes",
                               path, c, i + 1);
        }
    }
    return "";
}

std::string server_address_problem(std::string_view address) {
    if (!address.empty() && address.front() == '-') {
        return fmt::format("server address \"{}\" must not start with '-'", address);
    }
    for (char c : address) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 &&
            std::string_view("._-:").find(c) == std::string_view::npos) {
            return fmt::format("server address \"{}\" has the character '{}'; a host name or "
                               "IP address has letters, digits and \"._-:\"",
                               address, c);
        }
    }
    return "";
}

std::string login_name_problem(std::string_view user) {
    bool ok = !user.empty() && user.size() <= 32 && user.front() != '-';
    for (char c : user) {
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                    std::string_view("._-").find(c) != std::string_view::npos);
    }
    return ok ? ""
              : fmt::format("user \"{}\" is not a login name (letters, digits, \"._-\", "
                            "not starting with '-', at most 32 characters)",
                            user);
}

} // namespace wm::manifest
