// Running the detector chain and describing an app's processes (wm detect).

#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/build/buildpacks.hpp>
#include <wm/build/detect.hpp>

namespace wm::build {

namespace stdfs = std::filesystem;

DetectReport run_detectors(const stdfs::path& app_dir) {
    DetectReport report;
    for (const Detector& d : builtin_detectors()) {
        report.tried.push_back(d.detect(app_dir));
        if (report.tried.back().outcome != Outcome::not_mine) {
            report.decided = report.tried.back();
            break;
        }
    }
    return report;
}

const Detection& require_match(const DetectReport& report, const stdfs::path& app_dir) {
    if (!report.decided) {
        fail("no buildpack detected an app in {} (looked for package.json, requirements.txt, "
             "Pipfile, pyproject.toml, setup.py, Gemfile, go.mod, system.properties, "
             "composer.json, index.php, index.html in public/, dist/ or the root, Procfile); "
             "set buildpacks: in widemesh.yaml",
             app_dir.string());
    }
    if (report.decided->outcome == Outcome::broken) {
        fail("{} buildpack: {}", report.decided->buildpack, report.decided->reason);
    }
    return *report.decided;
}

std::string_view outcome_name(Outcome outcome) {
    switch (outcome) {
    case Outcome::mine:
        return "mine";
    case Outcome::broken:
        return "broken";
    default:
        return "not mine";
    }
}

void apply_procfile(const stdfs::path& app_dir, ProcessTypes& types, std::string& release_command,
                    std::vector<std::string>& notes) {
    auto text = fs::read_file_if_exists(app_dir / "Procfile");
    if (!text) {
        return;
    }
    for (auto& [name, command] : parse_procfile(*text, &notes)) {
        if (name == "release") {
            release_command = command;
        } else {
            types[name] = command;
        }
    }
}

AppDescription describe_app(const stdfs::path& app_dir, ProcessRunner& runner) {
    AppDescription out;
    out.report = run_detectors(app_dir);
    const Detection& match = require_match(out.report, app_dir);
    fs::TempDir tmp;
    stdfs::path bp_dir = tmp.path() / match.buildpack;
    materialise_builtin(match.buildpack, bp_dir);
    out.process_types = run_release(bp_dir, app_dir, runner).process_types;
    if (!out.process_types.empty()) {
        out.process_source = match.buildpack + " default";
    }
    bool procfile = stdfs::exists(app_dir / "Procfile");
    apply_procfile(app_dir, out.process_types, out.release_command, out.notes);
    if (procfile) {
        out.process_source =
            out.process_source.empty() ? "Procfile" : out.process_source + " + Procfile";
    }
    return out;
}

} // namespace wm::build
