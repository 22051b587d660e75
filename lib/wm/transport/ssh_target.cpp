#include <wm/base/error.hpp>
#include <wm/transport/ssh_target.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace wm::transport {

namespace {

int parse_port(const std::string& digits, const std::string& what, const std::string& whole) {
    bool ok =
        !digits.empty() && digits.size() <= 5 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    int port = ok ? std::stoi(digits) : 0;
    if (port < 1 || port > 65535) {
        throw usage_error(fmt::format("invalid {} '{}': port must be 1-65535", what, whole));
    }
    return port;
}

} // namespace

SshTarget parse_ssh_address(const std::string& text, const std::string& what) {
    SshTarget t;
    std::string rest = text.rfind("ssh://", 0) == 0 ? text.substr(6) : text;
    if (auto at = rest.find('@'); at != std::string::npos) {
        t.user = rest.substr(0, at);
        rest = rest.substr(at + 1);
    }
    if (!rest.empty() && rest[0] == '[') {
        auto close = rest.find(']');
        if (close == std::string::npos) {
            throw usage_error(fmt::format("invalid {} '{}': missing ']'", what, text));
        }
        t.address = rest.substr(1, close - 1);
        if (close + 1 < rest.size()) {
            if (rest[close + 1] != ':') {
                throw usage_error(
                    fmt::format("invalid {} '{}': expected ':' after ']'", what, text));
            }
            t.port = parse_port(rest.substr(close + 2), what, text);
        }
    } else if (auto colon = rest.find(':'); colon != std::string::npos) {
        t.address = rest.substr(0, colon);
        t.port = parse_port(rest.substr(colon + 1), what, text);
    } else {
        t.address = rest;
    }
    if (t.address.empty() || (text.find('@') != std::string::npos && t.user.empty())) {
        throw usage_error(fmt::format("invalid {} '{}': expected [user@]host[:port]", what, text));
    }
    t.name = t.address;
    return t;
}

} // namespace wm::transport
