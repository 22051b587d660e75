#include <wm/manifest/scaffold.hpp>
#include <wm/manifest/templates.hpp>

namespace wm::manifest {

std::string app_name_from(std::string_view name) {
    std::string out;
    for (char c : name) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else if (alnum) {
            out += c;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    if (out.size() > 63) {
        out.resize(63);
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return out.empty() ? "app" : out;
}

std::string render_scaffold(const ScaffoldFacts& facts) {
    std::string detected = facts.buildpack.empty()
                               ? "nothing yet (add a Procfile, or a marker file such as "
                                 "package.json)"
                               : facts.buildpack + " (" + facts.marker + ")";
    std::string processes = facts.procfile ? "from the Procfile"
                            : facts.buildpack.empty()
                                ? "from a Procfile"
                                : "the " + facts.buildpack + " buildpack's default web process";
    return render_template(find_template("widemesh.yaml.tmpl"),
                           {{"app", facts.app},
                            {"detected", detected},
                            {"buildpack", facts.buildpack.empty() ? "procfile" : facts.buildpack},
                            {"processes", processes}});
}

} // namespace wm::manifest
