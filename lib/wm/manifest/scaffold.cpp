#include <wm/manifest/scaffold.hpp>
#include <wm/manifest/templates.hpp>

#include <array>
#include <utility>

namespace wm::manifest {

namespace {

/// Marker files in detection order (the same order as the build's detector chain).
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> k_markers = {{
    {"package.json", "node"},
    {"requirements.txt", "python"},
    {"pyproject.toml", "python"},
    {"Gemfile", "ruby"},
    {"go.mod", "go"},
    {"pom.xml", "java"},
    {"build.gradle", "java"},
    {"build.gradle.kts", "java"},
    {"composer.json", "php"},
    {"index.php", "php"},
    {"index.html", "static"},
    {"Procfile", "procfile"},
}};

} // namespace

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

ScaffoldFacts inspect_repository(const std::filesystem::path& dir) {
    ScaffoldFacts facts;
    facts.app = app_name_from(dir.filename().string());
    facts.procfile = std::filesystem::is_regular_file(dir / "Procfile");
    for (const auto& [file, buildpack] : k_markers) {
        if (std::filesystem::is_regular_file(dir / file)) {
            facts.buildpack = buildpack;
            facts.marker = file;
            break;
        }
    }
    return facts;
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
