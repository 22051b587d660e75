#pragma once
// Helpers of the build tests: build a committed example, then run a process type from the
// extracted slug (at /app under bubblewrap, as on a server) and fetch a URL from it.

#include "../source/git_fixture.hpp"

#include <wm/base/fs.hpp>
#include <wm/base/reporter.hpp>
#include <wm/build/build.hpp>
#include <wm/runtime/sandbox.hpp>
#include <wm/slug/slug.hpp>

#include <atomic>
#include <string>

namespace wm::test {

/// Every "output" and "info" line of a build, joined by newlines.
inline std::string build_log(const CaptureReporter& reporter) {
    std::string out;
    for (const Event& e : reporter.events()) {
        out += e.kind + ": " + e.message + "\n";
    }
    return out;
}

/// Builds stack `name` at `path` of the repository `repo` into `state`.
inline build::BuildResult build_example(const std::filesystem::path& repo, const std::string& name,
                                        const std::filesystem::path& state,
                                        CaptureReporter& reporter, const std::string& path = ".") {
    build::BuildRequest req;
    req.repo_dir = repo;
    req.stack.name = name;
    req.stack.path = path;
    req.state_dir = state;
    PosixProcessRunner runner;
    return build::build_stack(req, runner, reporter);
}

/// A port unlikely to collide with other tests running at the same time.
inline int next_port() {
    static std::atomic<int> next{21000 + static_cast<int>(::getpid() % 2000) * 4};
    return next++;
}

/// Unpacks `slug` into a fresh directory, runs `command` there at /app through the run-time
/// launcher (profile scripts sourced) with PORT set, and returns
/// the body of GET `path` (waiting up to 30 s for the server to answer).
inline std::string serve_and_get(const std::filesystem::path& slug, const std::string& command,
                                 const std::string& path, const std::string& extra_env = "") {
    fs::TempDir dir;
    slug::unpack(slug, dir.path() / "app");
    int port = next_port();
    std::string script = fmt::format(
        R"(bwrap --die-with-parent --unshare-pid --ro-bind /usr /usr --symlink usr/lib /lib \
  --symlink usr/lib64 /lib64 --symlink usr/bin /bin --symlink usr/sbin /sbin --ro-bind /etc /etc \
  --proc /proc --dev /dev --tmpfs /tmp --ro-bind app /app --chdir /app \
  --setenv PORT {0} --setenv HOME /tmp {3} /bin/bash -c {4} wm-launch {1} >server.log 2>&1 &
pid=$!
for i in $(seq 150); do
  if curl -sf --max-time 2 -o body http://127.0.0.1:{0}{2}; then
    kill $pid; wait $pid 2>/dev/null || true; cat body; exit 0
  fi
  sleep 0.2
done
kill $pid; cat server.log >&2; exit 1
)",
        port, shell_quote(command), path, extra_env, shell_quote(runtime::k_launcher));
    return sh(script, dir.path());
}

} // namespace wm::test
