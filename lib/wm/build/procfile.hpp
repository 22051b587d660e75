#pragma once
// Process types: the Procfile and the default_process_types of a buildpack's bin/release.

#include <map>
#include <string>
#include <string_view>

namespace wm::build {

/// Process type name -> command.
using ProcessTypes = std::map<std::string, std::string>;

/// Parses a Procfile ("name: command" lines; blank lines and # comments ignored). Throws
/// "Procfile:<line>: expected 'name: command'" for anything else.
ProcessTypes parse_procfile(std::string_view text);

/// Reads `default_process_types` from the YAML printed by bin/release (a flat mapping; other
/// keys are ignored, `{}` means none).
ProcessTypes parse_release_output(std::string_view text);

} // namespace wm::build
