#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/build/detect.hpp>
#include <wm/manifest/load.hpp>
#include <wm/ops/init.hpp>
#include <wm/ops/plan.hpp>

#include <fmt/format.h>

namespace wm::ops {

namespace {

// The build's own detector chain decides the language, so init never claims one the build
// then refuses; a match the build would refuse is reported instead (`refused`).
manifest::ScaffoldFacts inspect_repository(const std::filesystem::path& dir, std::string& refused) {
    manifest::ScaffoldFacts facts;
    facts.app = manifest::app_name_from(dir.filename().string());
    facts.procfile = std::filesystem::is_regular_file(dir / "Procfile");
    build::DetectReport report = build::run_detectors(dir);
    if (report.decided && report.decided->outcome == build::Outcome::mine) {
        facts.buildpack = report.decided->buildpack;
        facts.marker = report.decided->file;
    } else if (report.decided) {
        refused =
            fmt::format("{} buildpack: {}", report.decided->buildpack, report.decided->reason);
    }
    return facts;
}

} // namespace

InitResult init_manifest(const std::filesystem::path& dir, bool force) {
    auto target = dir / "widemesh.yaml";
    bool existed = std::filesystem::exists(target);
    if (existed && !force) {
        throw Error("widemesh.yaml already exists; not overwriting it")
            .with_hint("wm init --force replaces it; wm validate checks the one you have");
    }
    InitResult result{{}, existed, "", ""};
    result.facts = inspect_repository(dir, result.refused);
    fs::write_file_atomic(target, manifest::render_scaffold(result.facts));
    // The scaffold deploys to the local rack, so its plan has exactly one URL.
    result.url = plan_urls(make_plan(manifest::load_file(target), "")).front();
    return result;
}

std::string InitResult::text() const {
    std::string detected = !refused.empty() ? "the build would refuse it: " + refused
                           : facts.buildpack.empty()
                               ? "no language detected"
                               : fmt::format("detected {} from {}", facts.buildpack, facts.marker);
    return fmt::format("{} widemesh.yaml for app {} ({})\nnext: {}wm validate, then wm deploy "
                       "(serves {})\n",
                       overwritten ? "overwrote" : "wrote", facts.app, detected,
                       refused.empty() ? "" : "fix that, ", url);
}

nlohmann::json InitResult::to_json() const {
    return {{"file", "widemesh.yaml"}, {"app", facts.app},           {"buildpack", facts.buildpack},
            {"marker", facts.marker},  {"procfile", facts.procfile}, {"overwritten", overwritten},
            {"refused", refused}};
}

} // namespace wm::ops
