#pragma once
// Building on a rack server (the builder) and handing its slugs to the other servers: the
// server-side half of `wm deploy`'s step 3-4 when the build runs on the rack. The laptop side
// (export, buildpack choice, bin/release parsing) is ops/remote_build; every command comes from
// rack/build_commands.hpp.

#include <wm/base/reporter.hpp>
#include <wm/deployment/app_env.hpp>
#include <wm/rack/build_commands.hpp>
#include <wm/rack/layout.hpp>
#include <wm/transport/transport.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wm::rack {

/// A buildpack as the builder gets it: a reproducible tar.zst named by its sha256.
struct RemoteBuildpack {
    std::string name;
    std::string hash;          ///< sha256 of `tar`: buildpacks/<hash> on the builder
    std::filesystem::path tar; ///< local tar.zst of its directory
    std::string cache_key;     ///< its cache dir below the stack's build cache
};

/// Git objects of a build's source, packed on the laptop for the builder's repository.
struct SourcePack {
    std::filesystem::path pack; ///< local .pack file
    std::uint64_t bytes = 0;    ///< its size
    size_t objects = 0;         ///< objects in it
    size_t bases = 0;           ///< commits of the builder it was made against (0: all of the tree)
};

/// Packs the objects of the job's commit the builder lacks, given the commits it holds
/// (possibly none); nullopt when it lacks none.
using SourcePackFn = std::function<std::optional<SourcePack>(const std::vector<std::string>&)>;

/// One build on the builder. Commands are complete shell text (the build sandbox's argv made by
/// the build module with paths of this server's Layout).
struct BuildJob {
    AppEnv app_env;
    std::string stack;
    std::string id;                   ///< build/work/<id>, unique per build
    std::string record_key;           ///< commit + config + buildpacks: reuse key
    std::filesystem::path source_tar; ///< local tar.zst of the commit's exported tree
    /// Set: the source goes as git objects into the builder's repository of the app when the
    /// builder has git (else source_tar); the builder exports `commit` at `subpath` itself.
    SourcePackFn source_pack;
    std::string commit;
    std::string subpath = ".";
    std::vector<RemoteBuildpack> buildpacks;
    std::map<std::string, std::string> config; ///< ENV_DIR, one 0600 file per variable
    int builder_uid = 0;                       ///< uid (= gid) bin/compile runs as; 0: unchanged
    std::vector<std::string> compile_commands; ///< one per buildpack, in order
    std::vector<std::string> release_commands; ///< bin/release of each buildpack
    std::chrono::seconds timeout{1800};        ///< per bin/compile
};

/// What a build on the builder produced (or a recorded earlier one).
struct BuiltSlug {
    std::string sha256;
    std::uint64_t bytes = 0;
    std::vector<std::string> release_outputs; ///< stdout of each bin/release, in order
    bool reused = false;                      ///< from build/records: nothing ran
};

/// Files (path relative to the app -> content) to add to the built app before it is packed,
/// given the bin/release outputs (e.g. .wm/config-vars.sh).
using FinishFn =
    std::function<std::map<std::string, std::string>(const std::vector<std::string>& releases)>;

/// The build and slug-transfer steps on one server. Errors name the server and the step
/// ("build", "slug").
class BuildHost {
  public:
    BuildHost(transport::Transport& t, Layout layout, Reporter& reporter);

    /// Runs `job` here: reuses the record of `job.record_key` when its slug is intact;
    /// otherwise uploads the buildpacks it lacks and the source, runs each compile command
    /// (output streamed to the reporter as output events of this server) and each release
    /// command, adds finish()'s files, packs the slug and records it. The work dir is removed
    /// whatever happens. Throws Error (step "build") naming the command that failed.
    BuiltSlug build(const BuildJob& job, const FinishFn& finish);
    /// True when slugs/<sha256>.tar.zst is here and intact; a corrupted one is removed.
    bool has_valid_slug(const std::string& sha256);
    /// Starts a one-time rsync daemon over this server's slugs; `address` (how the other
    /// servers reach it, e.g. its address in the manifest) is tried first.
    SlugOffer offer_slugs(const std::string& id, const std::string& address);
    /// Stops the daemon of `offer` (never throws: it runs on the way out of a failure too).
    void withdraw(const SlugOffer& offer) noexcept;
    /// Fetches slug `sha256` from `offer` (another server) and checks its sha256; returns the
    /// bytes received. Throws Error (step "slug") when no address answers or the sha differs.
    std::uint64_t fetch_slug(const SlugOffer& offer, const std::string& sha256);

  private:
    std::string run(const std::string& command, const transport::RunOptions& options = {});
    void run_streamed(const std::string& command, const std::string& what,
                      std::chrono::seconds timeout);
    std::optional<BuiltSlug> recorded(const BuildJob& job);
    void install_buildpacks(const BuildJob& job);
    void stage(const BuildJob& job);
    bool stage_commit(const BuildJob& job);
    void stage_tree(const BuildJob& job);
    BuiltSlug compile_and_pack(const BuildJob& job, const FinishFn& finish);

    transport::Transport& m_transport;
    Layout m_layout;
    Reporter& m_reporter;
};

} // namespace wm::rack
