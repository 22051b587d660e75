// The built-in detectors, one small function each, in chain order.

#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/build/detect.hpp>

#include <nlohmann/json.hpp>

#include <initializer_list>

namespace wm::build {

namespace stdfs = std::filesystem;

namespace {

Detection mine(std::string_view bp, std::string file, std::string reason) {
    return {std::string(bp), Outcome::mine, std::move(file), std::move(reason)};
}
Detection broken(std::string_view bp, std::string file, std::string reason) {
    return {std::string(bp), Outcome::broken, std::move(file), std::move(reason)};
}
Detection not_mine(std::string_view bp, std::string reason) {
    return {std::string(bp), Outcome::not_mine, {}, std::move(reason)};
}

/// The first of `names` that exists in `dir`, or "".
std::string first_file(const stdfs::path& dir, std::initializer_list<const char*> names) {
    for (const char* n : names) {
        if (stdfs::is_regular_file(dir / n)) {
            return n;
        }
    }
    return {};
}

bool has(const stdfs::path& dir, const char* name) { return stdfs::exists(dir / name); }

/// Parses a JSON file, returning the parse error message instead of throwing.
std::optional<std::string> json_error(const stdfs::path& file, nlohmann::json& out) {
    try {
        out = nlohmann::json::parse(fs::read_file(file));
        return std::nullopt;
    } catch (const nlohmann::json::exception& e) {
        return std::string(e.what());
    }
}

Detection detect_node(const stdfs::path& dir) {
    constexpr std::string_view bp = "node";
    if (!has(dir, "package.json")) {
        return not_mine(bp, "no package.json");
    }
    nlohmann::json pkg;
    if (auto err = json_error(dir / "package.json", pkg)) {
        return broken(bp, "package.json", "package.json is not valid JSON: " + *err);
    }
    bool start =
        pkg.is_object() && pkg.value("scripts", nlohmann::json::object()).contains("start");
    std::string entry = first_file(dir, {"server.js", "index.js"});
    if (!start && entry.empty() && !has(dir, "Procfile")) {
        return broken(bp, "package.json",
                      "package.json has no scripts.start and there is no server.js, index.js "
                      "or Procfile to run");
    }
    std::string lock = first_file(dir, {"package-lock.json", "yarn.lock", "pnpm-lock.yaml"});
    return mine(bp, "package.json",
                "package.json found" + (lock.empty() ? ", no lockfile" : ", lockfile " + lock));
}

Detection detect_python(const stdfs::path& dir) {
    constexpr std::string_view bp = "python";
    std::string file =
        first_file(dir, {"requirements.txt", "Pipfile", "pyproject.toml", "setup.py"});
    if (file.empty()) {
        return not_mine(bp, "no requirements.txt, Pipfile, pyproject.toml or setup.py");
    }
    if (file == "Pipfile" && !has(dir, "Pipfile.lock")) {
        return broken(bp, file,
                      "Pipfile without Pipfile.lock: run 'pipenv lock' and commit Pipfile.lock "
                      "(the build installs exactly what the lock file pins)");
    }
    if (!has(dir, "Procfile") && first_file(dir, {"app.py", "main.py", "server.py"}).empty()) {
        return broken(bp, file, "no Procfile and no app.py, main.py or server.py to run");
    }
    return mine(bp, file, file + " found");
}

Detection detect_ruby(const stdfs::path& dir) {
    constexpr std::string_view bp = "ruby";
    if (!has(dir, "Gemfile")) {
        return not_mine(bp, "no Gemfile");
    }
    if (!has(dir, "Gemfile.lock")) {
        return broken(bp, "Gemfile",
                      "Gemfile.lock is missing; run `bundle lock --local` (Debian 12: `bundle3.1 "
                      "lock --local`) and commit it");
    }
    return mine(bp, "Gemfile", "Gemfile and Gemfile.lock found");
}

Detection detect_go(const stdfs::path& dir) {
    constexpr std::string_view bp = "go";
    if (!has(dir, "go.mod")) {
        return not_mine(bp, "no go.mod");
    }
    std::string mod = fs::read_file(dir / "go.mod");
    if (mod.rfind("module ", 0) != 0 && mod.find("\nmodule ") == std::string::npos) {
        return broken(bp, "go.mod", "go.mod has no module line");
    }
    return mine(bp, "go.mod",
                std::string("go.mod found") +
                    (has(dir, "vendor") ? ", vendored dependencies" : ""));
}

Detection detect_java(const stdfs::path& dir) {
    constexpr std::string_view bp = "java";
    std::string build = first_file(dir, {"pom.xml", "build.gradle", "build.gradle.kts"});
    if (!build.empty()) {
        return broken(bp, build,
                      build + " needs Maven Central, which cannot be reached from here; use a "
                              "dependency-free javac project (system.properties and src/)");
    }
    if (!has(dir, "system.properties") || !stdfs::is_directory(dir / "src")) {
        return not_mine(bp, "no system.properties with src/");
    }
    return mine(bp, "system.properties", "system.properties and src/ found (javac build)");
}

Detection detect_php(const stdfs::path& dir) {
    constexpr std::string_view bp = "php";
    std::string file = first_file(dir, {"composer.json", "index.php"});
    if (file.empty()) {
        return not_mine(bp, "no composer.json or index.php");
    }
    nlohmann::json composer;
    if (file == "composer.json") {
        if (auto err = json_error(dir / file, composer)) {
            return broken(bp, file, "composer.json is not valid JSON: " + *err);
        }
    }
    return mine(bp, file, file + " found");
}

Detection detect_static(const stdfs::path& dir) {
    constexpr std::string_view bp = "static";
    // The site root, in the order the buildpack serves from: public/, dist/, the app root.
    std::string file = first_file(dir, {"public/index.html", "dist/index.html", "index.html"});
    if (file.empty()) {
        return not_mine(bp, "no public/index.html, dist/index.html or index.html");
    }
    return mine(bp, file, file + " found");
}

Detection detect_procfile(const stdfs::path& dir) {
    constexpr std::string_view bp = "procfile";
    if (!has(dir, "Procfile")) {
        return not_mine(bp, "no Procfile");
    }
    try {
        parse_procfile(fs::read_file(dir / "Procfile"));
    } catch (const Error& e) {
        return broken(bp, "Procfile", e.what());
    }
    return mine(bp, "Procfile", "Procfile found, nothing to build");
}

constexpr Detector k_detectors[] = {
    {"node", detect_node},     {"python", detect_python},     {"ruby", detect_ruby},
    {"go", detect_go},         {"java", detect_java},         {"php", detect_php},
    {"static", detect_static}, {"procfile", detect_procfile},
};

} // namespace

std::span<const Detector> builtin_detectors() { return k_detectors; }

} // namespace wm::build
