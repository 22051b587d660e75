#pragma once
// Process types: the Procfile and the default_process_types of a buildpack's bin/release.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace wm::build {

/// Process type name -> command.
using ProcessTypes = std::map<std::string, std::string>;

/// Parses a Procfile ("name: command" lines; blank lines and # comments ignored; a UTF-8 BOM
/// and CRLF line ends are accepted). A process type name becomes a service name, which is a
/// DNS label: letters are lowercased and '_' becomes '-' ("worker_email" runs as service
/// "worker-email"), and a note saying so is appended to `notes` when given. Throws
/// "Procfile:<line>: expected 'name: command'" for a line of another shape,
/// "Procfile:<line>: process type "web" is defined twice (first at line <n>)" when a name (after
/// mapping) repeats, and "Procfile:<line>: process type "x" cannot be a service name (...)" when
/// mapping does not give a DNS label (the rule is in the message).
ProcessTypes parse_procfile(std::string_view text, std::vector<std::string>* notes = nullptr);

/// What bin/release printed: its two flat mappings (other keys are ignored, `{}` means none).
struct ReleaseOutput {
    ProcessTypes process_types;                     ///< default_process_types
    std::map<std::string, std::string> config_vars; ///< config_vars: run-time defaults
};

/// Reads `default_process_types` and `config_vars` from the YAML printed by bin/release.
ReleaseOutput parse_release_output(std::string_view text);

/// The shell text of `.wm/config-vars.sh`, sourced before every process of a release: each
/// variable is exported unless the stack's config already set it, except PATH, which replaces
/// the default (as a buildpack's PATH does on Heroku). Values are single-quoted literally.
/// Throws Error for a name that is not an environment variable name.
std::string render_config_vars(const std::map<std::string, std::string>& vars);

} // namespace wm::build
