#pragma once
// Building on the rack (deploy step 3): which server builds, and the laptop's half of a build
// there. This machine exports the commit and chooses the buildpacks (libgit2 and wm's own
// detectors: no language tool, no bubblewrap here); the builder compiles under the same sandbox
// as a local build (bwrap + setpriv to the builder uid) with its own runtimes and packs the slug.

#include <wm/base/reporter.hpp>
#include <wm/build/build.hpp>
#include <wm/deployment/app_env.hpp>
#include <wm/ops/plan.hpp>
#include <wm/ops/server.hpp>
#include <wm/rack/build_host.hpp>

#include <string>
#include <vector>

namespace wm::ops {

/// The server of `plan` that builds, or "" for a build on this machine. `mode` is `--build`
/// when given, else the manifest's `build:`: "local" builds here; "server NAME" on that server
/// of the plan; "rack" or "" (the default) on the first server of the first rack, except on the
/// local rack (this machine anyway). Throws Error for an unknown mode or a server not in the plan.
std::string builder_of(const DeployPlan& plan, const std::string& mode);

/// The shell text running `argv` with exactly `env` as its environment (`env -i K=V ... argv`).
std::string command_with_env(const std::map<std::string, std::string>& env,
                             const std::vector<std::string>& argv);

/// The job of building the stack on a server with the default layout: compile and release
/// commands of each buildpack (tar hashes in `packs`, same order) under the build sandbox,
/// dropping to build::k_builder_uid. Pure.
rack::BuildJob build_job(const AppEnv& app_env, const build::BuildRequest& req,
                         const std::string& id, const std::string& commit,
                         std::vector<rack::RemoteBuildpack> packs);

/// Builds `req` on `builder`: exports the commit here, sends the git objects of its tree the
/// builder lacks (made with git through `runner`; the exported tree instead for a dirty tree,
/// submodules, .slugignore or .gitattributes, or a builder without git) and the buildpacks it
/// lacks, builds there (output streamed as output events of the builder), and returns the
/// result with the builder's slug (no slug_path). Reused when the builder recorded the same
/// commit, config and buildpacks. Errors: export and detection (here), the build (builder).
build::BuildResult build_on_server(Server& builder, const AppEnv& app_env,
                                   const build::BuildRequest& req, ProcessRunner& runner,
                                   Reporter& reporter);

} // namespace wm::ops
