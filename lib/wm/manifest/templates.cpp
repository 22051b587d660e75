#include <wm/base/error.hpp>
#include <wm/manifest/templates.hpp>

namespace wm::manifest {

std::string_view find_template(std::string_view name) {
    for (const auto& t : embedded_templates()) {
        if (t.name == name) {
            return t.text;
        }
    }
    fail("no embedded template \"{}\"", name);
}

std::string render_template(std::string_view text,
                            const std::map<std::string, std::string>& values) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
        std::size_t open = text.find("{{", pos);
        out.append(text.substr(pos, open - pos));
        if (open == std::string_view::npos) {
            return out;
        }
        std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            fail("template: unterminated placeholder at offset {}", open);
        }
        std::string key(text.substr(open + 2, close - open - 2));
        auto it = values.find(key);
        if (it == values.end()) {
            fail("template: no value for placeholder \"{{{{{}}}}}\"", key);
        }
        out += it->second;
        pos = close + 2;
    }
}

} // namespace wm::manifest
