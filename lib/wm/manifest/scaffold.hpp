#pragma once
// `wm init`: the first widemesh.yaml of a repository, from the embedded template.

#include <filesystem>
#include <string>
#include <string_view>

namespace wm::manifest {

/// What `wm init` learned about a repository (ops::init_manifest asks the build's detectors).
struct ScaffoldFacts {
    std::string app;       ///< DNS label derived from the directory name
    std::string buildpack; ///< "node", "python", ... ; empty when no marker file matched
    std::string marker;    ///< the file that decided ("package.json")
    bool procfile = false; ///< a Procfile is present
};

/// `name` made into a DNS label: lower-cased, runs of other characters as one dash, trimmed
/// to 63 characters, no dash at either end; "app" when nothing is left.
std::string app_name_from(std::string_view name);

/// The commented widemesh.yaml for `facts` (pure; the embedded widemesh.yaml.tmpl rendered).
std::string render_scaffold(const ScaffoldFacts& facts);

} // namespace wm::manifest
