#pragma once
// `wm run`: one command in a fresh sandbox of the current release of a stack, on one server of
// the environment, with the release's config; its output streamed and its exit code returned.

#include <wm/ops/env.hpp>
#include <wm/ops/plan.hpp>

#include <string>

namespace wm::ops {

/// What to run where.
struct RunRequest {
    std::string server;  ///< a server of the plan; "": the first that answers
    std::string command; ///< shell text (cli joins argv with shell_join)
    OutputFn on_output;  ///< the command's stdout and stderr as they come
};

/// How the run went.
struct RunOutcome {
    std::string server;
    std::string stack;
    int version = 0;
    int exit_code = 0;
};

/// Runs the request on one server: the plan's stack (usage Error when it has several: choose
/// with --stack), its newest release with running instances there (Error when none: deploy
/// first), in the instances' sandbox with the release's config. Throws interrupted_error() when
/// env.cancel is requested meanwhile (the run's processes are killed first); an Error naming the
/// server when it cannot be reached.
RunOutcome run_command(const DeployPlan& plan, Env& env, const RunRequest& request);

} // namespace wm::ops
