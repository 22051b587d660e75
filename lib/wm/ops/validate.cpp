#include <wm/base/error.hpp>
#include <wm/manifest/render.hpp>
#include <wm/manifest/resolve.hpp>
#include <wm/ops/validate.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/state/store.hpp>

#include <fmt/format.h>

namespace wm::ops {

namespace {

nlohmann::json problem_json(const manifest::Problem& p) {
    return {{"file", p.file},
            {"line", p.line},
            {"column", p.column},
            {"key_path", p.key_path},
            {"message", p.message}};
}

} // namespace

nlohmann::json Validation::to_json() const {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : check.problems) {
        problems.push_back(problem_json(p));
    }
    nlohmann::json doc = {{"file", file.string()}, {"valid", valid()}, {"problems", problems}};
    if (check.manifest) {
        doc["summary"] = manifest::summary(*check.manifest);
    }
    return doc;
}

std::string Validation::text() const {
    if (check.manifest) {
        return fmt::format("{}: ok ({})\n", file.string(), manifest::summary(*check.manifest));
    }
    std::string out;
    for (const auto& p : check.problems) {
        out += p.format() + "\n";
    }
    return out;
}

void Validation::require_valid() const {
    if (!check.manifest) {
        std::size_t n = check.problems.size();
        fail("{} is invalid ({} problem{})", file.string(), n, n == 1 ? "" : "s");
    }
}

Validation validate_manifest(const std::filesystem::path& file,
                             const std::filesystem::path& state_dir) {
    return {file, manifest::check_file(file, rack::registered_racks(state::Store(state_dir)))};
}

EnvironmentView show_environment(const std::filesystem::path& file,
                                 const std::filesystem::path& state_dir,
                                 const std::string& environment, const std::string& region) {
    auto m = manifest::load_file(file, rack::registered_racks(state::Store(state_dir)));
    std::string env = environment.empty() ? m.environments.front().name : environment;
    auto resolved = manifest::resolve(m, env, region);
    return {manifest::to_yaml_text(resolved), manifest::to_json(resolved).dump() + "\n"};
}

} // namespace wm::ops
