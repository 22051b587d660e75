#pragma once
// Detection: an explicit, ordered chain of built-in detectors with three outcomes each
// (mine / not mine / mine but broken). The first answer that is not "not mine" decides.

#include <wm/base/process.hpp>
#include <wm/build/procfile.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wm::build {

/// A detector's answer.
enum class Outcome { mine, not_mine, broken };

/// What one detector said about an app directory.
struct Detection {
    std::string buildpack; ///< built-in buildpack name: "node"
    Outcome outcome = Outcome::not_mine;
    std::string file;   ///< the file that decided ("package.json"); empty when none did
    std::string reason; ///< one line for --explain (for broken: what is wrong and what to do)
};

/// One built-in detector: a name and a pure function of the app directory.
struct Detector {
    std::string_view name;
    Detection (*detect)(const std::filesystem::path& app_dir);
};

/// The chain in order: node, python, ruby, go, java, php, static, procfile.
std::span<const Detector> builtin_detectors();

/// The chain's result: every detector asked (in order) and the deciding one, if any.
struct DetectReport {
    std::vector<Detection> tried;
    std::optional<Detection> decided; ///< outcome mine or broken
};

/// Runs the chain on `app_dir`, stopping at the first detector that is not "not mine".
DetectReport run_detectors(const std::filesystem::path& app_dir);

/// The match of a report, or an Error: "no buildpack detected an app in <dir> (...)" or
/// "<name> buildpack: <reason>" for a broken match.
const Detection& require_match(const DetectReport& report, const std::filesystem::path& app_dir);

/// "mine", "not mine", "broken".
std::string_view outcome_name(Outcome outcome);

/// Detection plus the processes an app would get, for `wm detect`.
struct AppDescription {
    DetectReport report;
    ProcessTypes process_types;     ///< buildpack defaults overlaid by the Procfile
    std::string process_source;     ///< "Procfile", "<buildpack> default", or both joined by " + "
    std::string release_command;    ///< the Procfile's release: entry
    std::vector<std::string> notes; ///< e.g. a Procfile type renamed to a valid service name
};

/// Detects and asks the matching built-in buildpack's bin/release for default processes
/// (materialised into a temporary directory, so nothing is written to the state directory).
AppDescription describe_app(const std::filesystem::path& app_dir, ProcessRunner& runner);

/// Merges buildpack defaults with the app's Procfile (the Procfile wins; its release: entry is
/// moved out into `release_command`); parse_procfile's notes are appended to `notes`.
void apply_procfile(const std::filesystem::path& app_dir, ProcessTypes& types,
                    std::string& release_command, std::vector<std::string>& notes);

} // namespace wm::build
