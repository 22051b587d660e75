#pragma once
// Running a buildpack's bin/compile under bubblewrap: the app at /app, the cache at /cache, the
// config vars at /env, the buildpack at /buildpack. The network is shared so npm can fetch.

#include <wm/base/process.hpp>
#include <wm/base/reporter.hpp>
#include <wm/sandbox/confine.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wm::build {

/// Host directories bound into the build sandbox.
struct SandboxMounts {
    std::filesystem::path app;       ///< -> /app (writable)
    std::filesystem::path cache;     ///< -> /cache (writable, survives builds)
    std::filesystem::path env;       ///< -> /env (read-only, one file per config var)
    std::filesystem::path buildpack; ///< -> /buildpack (read-only)
};

/// The uid (= gid) buildpack scripts run as when wm runs as root: outside the tenant range of
/// servers and below subordinate ids.
inline constexpr int k_builder_uid = 69999;

/// Who buildpack scripts run as: the builder uid with no capabilities when this process is
/// root (bwrap runs as root, setpriv drops inside); nullopt otherwise (an unprivileged bwrap
/// drops every capability itself).
std::optional<sandbox::Identity> builder_identity();

/// Makes every file under `dir` (and `dir`) owned by `id`, so bin/compile can write its app
/// and cache; symlinks are not followed. Throws Error naming the file that cannot be changed.
void give_to(const std::filesystem::path& dir, const sandbox::Identity& id);

/// The bwrap argv running /buildpack/bin/compile /app /cache /env (pure; tested by exact text),
/// dropping to `user` first when there is one.
std::vector<std::string> compile_argv(const std::string& bwrap, const SandboxMounts& mounts,
                                      const std::optional<sandbox::Identity>& user = {});

/// The bwrap argv running /buildpack/bin/<script> /app with the app and the buildpack read-only:
/// bin/detect and bin/release only read the app, and custom ones are not trusted with more.
std::vector<std::string> script_argv(const std::string& bwrap, const std::filesystem::path& app,
                                     const std::filesystem::path& buildpack,
                                     const std::string& script,
                                     const std::optional<sandbox::Identity>& user = {});

/// The path of bwrap, or an Error saying to install bubblewrap.
std::string find_bwrap();

/// The environment of buildpack scripts: a fixed PATH, HOME=/tmp, STACK, SOURCE_VERSION.
std::map<std::string, std::string> compile_env(const std::string& source_version);

/// Writes one file per config var into `dir` (mode 0600), like Heroku's ENV_DIR.
void write_env_dir(const std::filesystem::path& dir,
                   const std::map<std::string, std::string>& config);

/// Runs `spec`, reporting each output line as an "output" event; throws when it exits non-zero
/// ("<what> failed (exit N)").
void run_reported(ProcessRunner& runner, const ProcessSpec& spec, Reporter& reporter,
                  const std::string& what);

} // namespace wm::build
