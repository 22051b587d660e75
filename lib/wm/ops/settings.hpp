#pragma once
// What the servers hold for an app env beyond its releases, set with `wm config` and `wm scale`
// and applied by every deploy, re-release and restart: read from one server (every server of
// the environment holds the same) and merged into the plan.

#include <wm/ops/env.hpp>
#include <wm/ops/plan.hpp>
#include <wm/rack/config_store.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wm::ops {

/// The server-side settings of one app env.
struct ServerSettings {
    std::map<std::string, std::string> config; ///< the app env's store (`wm config`)
    std::map<std::string, std::map<std::string, std::string>> stack_config; ///< by stack (-s)
    std::map<std::string, rack::ScaleSettings> scale;                       ///< by stack
    std::string hash_key; ///< keys the config's fingerprints (Server::hash_key)
};

/// Reads the settings of every stack of `plan` (all resolved stacks, not only plan.stacks)
/// from `server`. Throws the server's Error.
ServerSettings read_settings(Server& server, const DeployPlan& plan);

/// `plan` with the settings applied: each stack's config is the manifest's, then the app env's
/// store, then the stack's store (later wins); plan.scale holds the counts and plan.hash_key
/// the key.
DeployPlan with_settings(DeployPlan plan, const ServerSettings& settings);

/// `services` with the counts of `settings` applied where the service's manifest count is still
/// the one recorded when it was scaled (a changed manifest count wins, see README).
std::vector<manifest::ServiceSpec> scaled(std::vector<manifest::ServiceSpec> services,
                                          const rack::ScaleSettings& settings);

/// The highest version of `stack` with an instance on `server` (nullopt: none runs).
std::optional<int> running_version(Server& server, const AppEnv& ae, const std::string& stack);

/// The services deployment v<N> of a stack runs on `rack`, from its record on `server`. Throws
/// Error when there is no record or it never ran on that rack.
std::vector<manifest::ServiceSpec> recorded_services(Server& server, const AppEnv& ae,
                                                     const std::string& stack, int version,
                                                     const std::string& rack);

/// Builds nothing: hands out the slug a stack runs on `server` now (its release.json), so a
/// deploy re-releases it with new config. run_needs() is empty (nothing new to run).
class RunningSlugs : public StackBuilder {
  public:
    RunningSlugs(Server& server, AppEnv ae, std::filesystem::path state_dir);
    /// Throws Error when the stack runs nowhere on the server ("deploy it first").
    build::BuildResult build(const build::BuildRequest& request, Reporter& reporter) override;
    /// The same slug wherever the plan would build (a re-release builds nothing).
    build::BuildResult build_on(Server&, const AppEnv&, const build::BuildRequest& request,
                                Reporter& reporter) override {
        return build(request, reporter);
    }
    std::vector<build::RunNeed> run_needs(const build::BuildRequest&, Reporter&) override {
        return {};
    }

  private:
    Server& m_server;
    AppEnv m_ae;
    std::filesystem::path m_state_dir;
};

/// `env` with `builder` in place of its builder (everything else shared).
inline Env with_builder(const Env& env, StackBuilder& builder) {
    return Env{env.reporter, env.clock,     env.servers,     builder,   env.journal,
               env.identity, env.state_dir, env.parallelism, env.cancel};
}

} // namespace wm::ops
