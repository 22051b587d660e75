#pragma once
// Test helpers shared by the source, slug and build unit tests: shell snippets and throwaway git
// repositories made with the git CLI (an independent implementation to check libgit2 against).

#include <wm/base/error.hpp>
#include <wm/base/process.hpp>

#include <filesystem>
#include <string>

namespace wm::test {

/// Runs `script` with bash in `cwd` and returns stdout; throws with stderr when it fails.
inline std::string sh(const std::string& script, const std::filesystem::path& cwd = ".") {
    PosixProcessRunner runner;
    ProcessSpec spec;
    spec.argv = {"bash", "-c", "set -euo pipefail\n" + script};
    spec.cwd = cwd;
    spec.env = {{"GIT_AUTHOR_NAME", "Ada Tester"},
                {"GIT_AUTHOR_EMAIL", "ada@example.com"},
                {"GIT_COMMITTER_NAME", "Ada Tester"},
                {"GIT_COMMITTER_EMAIL", "ada@example.com"},
                {"GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z"},
                {"GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z"}};
    ProcessResult r = runner.run(spec);
    if (r.exit_code != 0) {
        fail("script failed (exit {}): {}\n{}", r.exit_code, script, r.err);
    }
    return r.out;
}

/// Makes `dir` a git repository with everything in it committed as `subject`.
inline void git_commit_all(const std::filesystem::path& dir, const std::string& subject) {
    sh("git init -q -b main . 2>/dev/null || git init -q .; git add -A; git commit -qm '" +
           subject + "'",
       dir);
}

/// Copies examples/<name> (from the source tree) into `dest` and commits it.
inline std::filesystem::path example_repo(const std::string& name,
                                          const std::filesystem::path& dest) {
    std::filesystem::path src = std::filesystem::path(WM_SOURCE_DIR) / "examples" / name;
    std::filesystem::copy(src, dest, std::filesystem::copy_options::recursive);
    git_commit_all(dest, "example " + name);
    return dest;
}

} // namespace wm::test
