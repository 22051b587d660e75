#pragma once
// The steps of build_stack that a build on a rack server shares with the local one: the commit's
// tree on this machine, the buildpacks chosen for it, and what their bin/release outputs mean.

#include <wm/base/process.hpp>
#include <wm/base/reporter.hpp>
#include <wm/build/build.hpp>
#include <wm/build/buildpacks.hpp>
#include <wm/build/procfile.hpp>
#include <wm/source/source.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace wm::build {

/// The commit `req.ref` names (and whether the working tree is dirty); nothing is written.
SourceInfo inspect_source(const BuildRequest& req);

/// Exports the stack's committed tree into `dest` (submodules, export-ignore, .slugignore
/// applied; widemesh.yaml removed), reporting what was left out; returns what the export
/// found. Errors: the export's.
source::ExportResult export_source(const BuildRequest& req, const std::filesystem::path& dest,
                                   Reporter& reporter);

/// The buildpacks that build `app`: the stack's list, else the detection chain's match. An
/// explicit custom buildpack's bin/detect runs through `runner`; with no runner (a build on a
/// rack server, where this machine need not have bubblewrap) it is not asked.
std::vector<Buildpack> choose_buildpacks(const BuildRequest& req, const std::filesystem::path& app,
                                         ProcessRunner* runner, Reporter& reporter);

/// Fills result.process_types and result.release_command from the buildpacks' bin/release
/// outputs (in order), the app's Procfile under `app` and the stack's release command; returns
/// the text of .wm/config-vars.sh ("" when no buildpack set config_vars).
std::string apply_releases(const std::vector<ReleaseOutput>& released, const BuildRequest& req,
                           const std::filesystem::path& app, BuildResult& result,
                           Reporter& reporter);

} // namespace wm::build
