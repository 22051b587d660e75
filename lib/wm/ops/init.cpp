#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/manifest/load.hpp>
#include <wm/ops/init.hpp>
#include <wm/ops/plan.hpp>

#include <fmt/format.h>

namespace wm::ops {

InitResult init_manifest(const std::filesystem::path& dir, bool force) {
    auto target = dir / "widemesh.yaml";
    bool existed = std::filesystem::exists(target);
    if (existed && !force) {
        throw Error("widemesh.yaml already exists; not overwriting it")
            .with_hint("wm init --force replaces it; wm validate checks the one you have");
    }
    InitResult result{manifest::inspect_repository(dir), existed, ""};
    fs::write_file_atomic(target, manifest::render_scaffold(result.facts));
    // The scaffold deploys to the local rack, so its plan has exactly one URL.
    result.url = plan_urls(make_plan(manifest::load_file(target), "")).front();
    return result;
}

std::string InitResult::text() const {
    std::string detected = facts.buildpack.empty()
                               ? "no language detected"
                               : fmt::format("detected {} from {}", facts.buildpack, facts.marker);
    return fmt::format("{} widemesh.yaml for app {} ({})\nnext: wm validate, then wm deploy "
                       "(serves {})\n",
                       overwritten ? "overwrote" : "wrote", facts.app, detected, url);
}

nlohmann::json InitResult::to_json() const {
    return {{"file", "widemesh.yaml"}, {"app", facts.app},           {"buildpack", facts.buildpack},
            {"marker", facts.marker},  {"procfile", facts.procfile}, {"overwritten", overwritten}};
}

} // namespace wm::ops
