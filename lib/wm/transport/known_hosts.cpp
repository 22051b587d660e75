#include <wm/base/fs.hpp>
#include <wm/transport/known_hosts.hpp>

#include <fmt/format.h>

#include <sstream>

namespace wm::transport {

std::string host_field(const std::string& host) {
    if (!host.empty() && host[0] == '[') {
        return host.size() > 4 && host.compare(host.size() - 3, 3, ":22") == 0 &&
                       host[host.size() - 4] == ']'
                   ? host.substr(1, host.size() - 5)
                   : host;
    }
    auto colon = host.find(':');
    if (colon == std::string::npos || host.find(':', colon + 1) != std::string::npos) {
        return host; // no port, or a bare IPv6 address
    }
    std::string port = host.substr(colon + 1);
    return port == "22" ? host.substr(0, colon)
                        : fmt::format("[{}]:{}", host.substr(0, colon), port);
}

std::string remove_known_host(const std::string& text, const std::string& field, int& removed) {
    std::istringstream in(text);
    std::string out;
    removed = 0;
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string hosts;
        words >> hosts;
        bool match = false;
        std::istringstream names(hosts);
        for (std::string name; std::getline(names, name, ',');) {
            match = match || name == field;
        }
        if (match) {
            ++removed;
        } else {
            out += line + "\n";
        }
    }
    return out;
}

int forget_host(const std::filesystem::path& known_hosts, const std::string& host) {
    auto text = fs::read_file_if_exists(known_hosts);
    if (!text) {
        return 0;
    }
    int removed = 0;
    std::string kept = remove_known_host(*text, host_field(host), removed);
    if (removed > 0) {
        fs::write_file_atomic(known_hosts, kept, 0600);
    }
    return removed;
}

} // namespace wm::transport
