#pragma once
// `wm run`: one command in a fresh sandbox of the current release of a stack, on one server of
// the environment, with the release's config; its output streamed and its exit code returned.

#include <wm/ops/env.hpp>
#include <wm/ops/plan.hpp>

#include <functional>
#include <optional>
#include <string>

namespace wm::ops {

/// What to run where.
struct RunRequest {
    std::string server;  ///< a server of the plan; "": the first that answers
    std::string command; ///< shell text (cli joins argv with shell_join)
    OutputFn on_output;  ///< the command's stdout and stderr as they come
    int stdin_fd = -1;   ///< passed on as the command's stdin until its end; -1: none
    /// Set: a console (`wm run -i`) on a pseudo-terminal of the server of this size and TERM;
    /// its output is one stream and a Ctrl-C typed in it reaches the command only.
    std::optional<PtySpec> pty{};
    /// Called once the server is connected, right before the command starts (cli: the user's
    /// terminal goes raw only then, after any host key question). May be empty.
    std::function<void()> on_start{};
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
