#include <wm/base/text.hpp>

#include <sstream>

namespace wm {

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> parts;
    std::istringstream in{std::string(text)};
    for (std::string part; std::getline(in, part, sep);) {
        parts.push_back(part);
    }
    return parts;
}

} // namespace wm
