#pragma once
// A one-off run (`wm run`): a fresh process of a release in the sandbox its instances get,
// outside runit, as pure builders of the commands that start it and kill what is left of it.

#include <wm/deployment/app_env.hpp>
#include <wm/runtime/sandbox.hpp>

#include <string>

namespace wm::rack {

/// One command to run from a stack's release on one server.
struct OneOff {
    AppEnv app_env;
    std::string stack;
    int version = 0;     ///< the release to run (its app and config)
    std::string command; ///< shell text, run like a service's command (runtime::k_launcher)
    std::string id;      ///< names its scratch dir, pid file and event log lines ([a-z0-9])
    std::string who;     ///< user@control-host, for the event log
};

/// Runs `spec` (scratch and envdir created first) in a session of its own whose id (its
/// process group) is written to `pid_file`, and exits with the command's exit code; stdout and
/// stderr stay apart. The own session lets stop_oneoff_command reach every process of the run
/// once wm stops waiting, whichever transport ran it.
std::string oneoff_command(const runtime::SandboxSpec& spec, const std::string& pid_file);

/// TERMs the process group recorded in `pid_file`, KILLs it after up to 3 s, then removes the
/// pid file and the (empty) scratch dir. Never fails.
std::string stop_oneoff_command(const std::string& pid_file, const std::string& scratch);

/// Removes the pid file and the empty scratch dir of a run that ended. Never fails.
std::string finish_oneoff_command(const std::string& pid_file, const std::string& scratch);

} // namespace wm::rack
