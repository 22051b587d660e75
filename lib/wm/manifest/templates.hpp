#pragma once
// The manifest templates of templates/manifest, compiled into the binary, and the one
// placeholder syntax they use.

#include <map>
#include <span>
#include <string>
#include <string_view>

namespace wm::manifest {

/// One file of templates/manifest.
struct EmbeddedTemplate {
    std::string_view name; ///< "widemesh.yaml.tmpl"
    std::string_view text;
};

/// Every embedded template, sorted by name (generated at build time).
std::span<const EmbeddedTemplate> embedded_templates();

/// The embedded template `name`; throws Error when there is none.
std::string_view find_template(std::string_view name);

/// Replaces every "{{key}}" in `text` with `values.at(key)`; throws Error naming a placeholder
/// without a value (a template and its caller out of step is a bug worth stopping on).
std::string render_template(std::string_view text,
                            const std::map<std::string, std::string>& values);

} // namespace wm::manifest
