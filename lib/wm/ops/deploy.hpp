#pragma once
// `wm deploy`: a commit of the app's repo to running, routed instances on every server of the
// environment's racks, without dropping a request (design.md §5).

#include <wm/ops/env.hpp>
#include <wm/ops/plan.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wm::ops {

/// What to deploy where.
struct DeployRequest {
    std::filesystem::path manifest_path; ///< widemesh.yaml
    std::filesystem::path repo_dir;      ///< the app's git repository
    std::string environment;             ///< empty: the manifest's first environment
    std::string stack;                   ///< empty: every stack
    std::string ref = "HEAD";
    bool allow_dirty = false;
    std::optional<std::chrono::seconds> wait; ///< queue for the lease this long; nullopt: fail
    bool dry_run = false;
    /// What this deploy is when not a new commit ("config set FOO"): shown while it runs, held
    /// in the lease and stored in the records. Such a deploy gets its slugs from the builder
    /// in Env (ops::RunningSlugs).
    std::string description;
    std::string build; ///< --build: "local", "rack", "server NAME"; empty: the manifest's build:
};

/// The outcome of one stack.
struct StackOutcome {
    std::string stack;
    int version = -1;
    std::string commit;
    std::string sha256;
    bool reused_build = false;
    std::vector<std::string> uploaded_to; ///< servers that lacked the slug
    bool unchanged = false; ///< this commit and config already ran everywhere: nothing done
};

/// The outcome of a deploy (or of a dry run: `plan` set, nothing else).
struct DeployResult {
    std::string environment;
    std::vector<StackOutcome> stacks;
    std::vector<std::string> urls;
    std::vector<std::string> plan; ///< dry run: the steps that would run

    /// The final JSON result object (`--json`).
    nlohmann::json to_json() const;
};

/// Runs the deploy; throws Error naming the server and step on failure (old release serving).
DeployResult deploy(const DeployRequest& request, Env& env);

/// Steps 2-8 of deploy() for an already resolved plan (request.manifest_path is not read).
DeployResult deploy_plan(const DeployPlan& plan, const DeployRequest& request, Env& env);

} // namespace wm::ops
