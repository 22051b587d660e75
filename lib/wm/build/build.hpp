#pragma once
// Turning one commit of a stack into a reproducible slug: export the committed tree, detect and
// run Heroku-contract buildpacks under bubblewrap with the source at /app, package a tar.zst.

#include <wm/base/process.hpp>
#include <wm/base/reporter.hpp>
#include <wm/build/run_packages.hpp>
#include <wm/manifest/manifest.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace wm::build {

/// The commit a build came from.
struct SourceInfo {
    std::string commit;       ///< full 40-hex id
    std::string short_commit; ///< 7-hex id
    std::string subject;      ///< first line of the commit message
    std::string author;       ///< "Name <email>"
    bool dirty = false;       ///< built from a working tree with uncommitted tracked changes
};

/// What to build.
struct BuildRequest {
    std::filesystem::path repo_dir; ///< any directory inside the git repository
    manifest::StackSpec stack;      ///< path, buildpacks, release_command, config (-> ENV_DIR)
    std::string ref = "HEAD";
    bool allow_dirty = false;
    std::filesystem::path state_dir; ///< cache/ and slugs/ live here
    /// Keys config_hash (record.hpp): the config may hold secrets; "" when it holds only the
    /// manifest's values.
    std::string hash_key;
};

/// What a build produced.
struct BuildResult {
    std::filesystem::path slug_path; ///< <state_dir>/slugs/<sha256>.tar.zst
    std::string sha256;
    SourceInfo source;
    std::vector<std::string> buildpacks;              ///< names that ran, in order
    std::map<std::string, std::string> process_types; ///< Procfile, else default_process_types
    std::string release_command; ///< Procfile "release:" entry, else the stack's release_command
    nlohmann::json release_json; ///< the content of release.json
    bool reused = false;         ///< same commit + config already built: nothing ran
};

/// Exports, detects, compiles and packages one stack. Build output goes to `reporter` as
/// output events. The slug holds the built app tree at the archive root; release.json is
/// `release_json` (the deploy writes it beside the unpacked app).
BuildResult build_stack(const BuildRequest& req, ProcessRunner& runner, Reporter& reporter);

/// What the stack's slugs need on a run server (Debian packages and the commands they provide):
/// exports req.ref (nothing is built), chooses the buildpacks as build_stack does and joins their
/// run-packages files in order, a package once; `with_build` adds their build-packages (what a
/// builder needs). Errors: those of the export and of detection, with the stack named.
std::vector<RunNeed> stack_run_needs(const BuildRequest& req, ProcessRunner& runner,
                                     Reporter& reporter, bool with_build = false);

} // namespace wm::build
