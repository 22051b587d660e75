#pragma once
// The services a use case runs with, built once in cli/ and passed by reference. Each one is an
// interface so orchestration tests can replace every side effect.

#include <wm/base/cancel.hpp>
#include <wm/base/clock.hpp>
#include <wm/base/reporter.hpp>
#include <wm/build/build.hpp>
#include <wm/deployment/deployment.hpp>
#include <wm/ops/server.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace wm::ops {

/// Builds slugs (real: build::build_stack).
class StackBuilder {
  public:
    virtual ~StackBuilder() = default;
    virtual build::BuildResult build(const build::BuildRequest& request, Reporter& reporter) = 0;
    /// Builds on `builder`, a server of the environment (real: ops::build_on_server): the
    /// result has no slug_path; the slug is in the builder's slugs/.
    virtual build::BuildResult build_on(Server& builder, const AppEnv& app_env,
                                        const build::BuildRequest& request, Reporter& reporter) = 0;
    /// What the stack's slugs need on a run server (real: build::stack_run_needs: exports and
    /// detects, builds nothing).
    virtual std::vector<build::RunNeed> run_needs(const build::BuildRequest& request,
                                                  Reporter& reporter) = 0;
};

/// The local journal of deployments in the state directory.
class Journal {
  public:
    virtual ~Journal() = default;
    /// Stores (or replaces) the record of one deployment and its full output.
    virtual void record(const Deployment& deployment, const std::string& log) = 0;
};

/// Who runs wm: shown to others as the lease holder and stored in deployment records.
struct Identity {
    std::string user;         ///< login name
    std::string control_host; ///< this machine's host name
    int pid = 0;
};

/// Everything a use case may touch.
struct Env {
    Reporter& reporter;
    Clock& clock;
    ServerConnector& servers;
    StackBuilder& builder;
    Journal& journal;
    Identity identity;
    std::filesystem::path state_dir;
    int parallelism = 8; ///< servers worked on at once
    /// Polled between steps and during long waits (Ctrl-C); nullptr: never cancelled.
    const Cancellation* cancel = nullptr;
};

} // namespace wm::ops
