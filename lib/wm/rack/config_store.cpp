#include <wm/base/error.hpp>
#include <wm/base/process.hpp>
#include <wm/rack/config_store.hpp>
#include <wm/runtime/sandbox.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>

namespace wm::rack {

std::string read_store_command(const std::string& dir) {
    // `wc -c` unquoted: its number without padding. Names are valid variable names (no blanks).
    return "cd " + shell_quote(dir) +
           " 2>/dev/null || exit 0; for f in *; do [ -f \"$f\" ] || continue; "
           "printf '%s %s\\n' \"$f\" $(wc -c < \"$f\"); cat \"$f\"; done";
}

std::map<std::string, std::string> parse_store(const std::string& output) {
    std::map<std::string, std::string> out;
    size_t at = 0;
    while (at < output.size()) {
        size_t nl = output.find('\n', at);
        size_t space = output.find(' ', at);
        if (nl == std::string::npos || space == std::string::npos || space > nl) {
            fail("config store listing is cut short after {} variables", out.size());
        }
        std::string name = output.substr(at, space - at);
        size_t size = 0;
        auto [ptr, ec] = std::from_chars(output.data() + space + 1, output.data() + nl, size);
        if (ec != std::errc() || ptr != output.data() + nl) {
            fail("config store listing is cut short after {} variables", out.size());
        }
        if (nl + 1 + size > output.size()) {
            fail("config store listing is cut short at {}", name);
        }
        out[name] = output.substr(nl + 1, size);
        at = nl + 1 + size;
    }
    return out;
}

std::string hash_key_command(const std::string& dir) {
    // od reads 32 bytes of /dev/urandom (coreutils, on every server); ln fails when another
    // call linked its key first, and then that key is the one printed.
    return "d=" + shell_quote(dir) +
           " && f=\"$d/.hash_key\" && if [ ! -s \"$f\" ]; then mkdir -p \"$d\" && "
           "chmod 0700 \"$d\" && (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \\n' > "
           "\"$f.$$\") && { ln \"$f.$$\" \"$f\" 2>/dev/null; rm -f \"$f.$$\"; }; fi && cat "
           "\"$f\"";
}

std::string parse_hash_key(const std::string& output) {
    std::string key = output.substr(0, output.find_last_not_of("\n") + 1);
    if (key.size() != 64 || key.find_first_not_of("0123456789abcdef") != std::string::npos) {
        fail("the app env's hash key is not 64 hex digits (remove the file .hash_key of its "
             "config store to make a new one)");
    }
    return key;
}

std::string prepare_store_command(const std::string& dir) {
    return "mkdir -p " + shell_quote(dir) + " && chmod 0700 " + shell_quote(dir);
}

std::string unset_store_command(const std::string& dir, const std::vector<std::string>& names) {
    std::string cmd = "rm -f";
    for (const auto& name : names) {
        cmd += " " + shell_quote(dir + "/" + name);
    }
    return cmd;
}

std::string config_entry_problem(const std::string& name, const std::string& value) {
    if (!runtime::valid_env_name(name)) {
        return fmt::format("config {}: not a variable name (letters, digits and _, not starting "
                           "with a digit)",
                           name);
    }
    if (name.size() + 1 + value.size() + 1 > k_max_env_entry) {
        return fmt::format("config {}: value of {} bytes is over the limit of {} bytes for "
                           "NAME=VALUE (Linux MAX_ARG_STRLEN)",
                           name, value.size(), k_max_env_entry);
    }
    return "";
}

std::string scale_to_json(const ScaleSettings& settings) {
    nlohmann::json services = nlohmann::json::object();
    for (const auto& [name, s] : settings) {
        services[name] = {{"instances", s.instances}, {"manifest", s.manifest}};
    }
    return nlohmann::json{{"schema", 1}, {"services", services}}.dump() + "\n";
}

ScaleSettings scale_from_json(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    ScaleSettings out;
    if (j.is_discarded() || !j.is_object() || j.value("schema", 0) != 1 ||
        !j.contains("services") || !j["services"].is_object()) {
        return out;
    }
    for (const auto& [name, s] : j["services"].items()) {
        if (s.is_object() && s.value("instances", -1) >= 0) {
            out[name] = {s.value("instances", 1), s.value("manifest", 1)};
        }
    }
    return out;
}

} // namespace wm::rack
