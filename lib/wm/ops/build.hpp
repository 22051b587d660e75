#pragma once
// `wm build`: slugs of the manifest's stacks, without deploying.

#include <wm/base/process.hpp>
#include <wm/base/reporter.hpp>
#include <wm/build/build.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace wm::ops {

/// What `wm build` builds.
struct BuildStacksRequest {
    std::filesystem::path manifest_path; ///< absolute; its directory is inside the app's repo
    std::string stack;                   ///< empty: every stack of the manifest
    std::string ref = "HEAD";
    bool allow_dirty = false;
    std::filesystem::path state_dir; ///< registered racks, build cache and slugs live here
};

/// One stack's slug.
struct BuiltStack {
    std::string stack;
    build::BuildResult result;
};

/// Builds each chosen stack in manifest order and hands each result to `on_built` as soon as it
/// is ready (a long build of the next stack follows). Throws a usage Error for an unknown stack,
/// Error for an invalid manifest or a failed build.
std::vector<BuiltStack> build_stacks(const BuildStacksRequest& request, ProcessRunner& runner,
                                     Reporter& reporter,
                                     const std::function<void(const BuiltStack&)>& on_built = {});

/// "<stack> <commit>[ (dirty)]: <slug>\n  sha256 <hex>\n[  reused: ...\n]".
std::string render_built(const BuiltStack& built);
/// The --json result event: {"event": "result", "builds": [{stack, slug, sha256, reused,
/// release}]}.
nlohmann::json to_json(const std::vector<BuiltStack>& builds);

} // namespace wm::ops
