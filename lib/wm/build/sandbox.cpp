#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/build/sandbox.hpp>

#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace wm::build {

namespace {

// One mount or flag per line reads better than a packed table.
// clang-format off
/// What every buildpack script sees: the system read-only, private /tmp, no app yet.
std::vector<std::string> base_argv(const std::string& bwrap) {
    return {bwrap,
            "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--hostname", "wm-build",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/sbin", "/sbin",
            "--ro-bind", "/etc", "/etc",
            "--proc", "/proc", "--dev", "/dev", "--perms", "01777", "--tmpfs", "/tmp"};
}

/// The command of a script, after setpriv when dropping to a user.
std::vector<std::string> command_argv(const std::optional<sandbox::Identity>& user,
                                      std::vector<std::string> command) {
    std::vector<std::string> argv = user ? sandbox::drop_argv(*user) : std::vector<std::string>{};
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

} // namespace

std::optional<sandbox::Identity> builder_identity() {
    if (::geteuid() != 0) {
        return std::nullopt;
    }
    return sandbox::Identity{k_builder_uid, k_builder_uid, "wm-build", "/tmp"};
}

void give_to(const std::filesystem::path& dir, const sandbox::Identity& id) {
    auto own = [&](const std::filesystem::path& p) {
        if (::lchown(p.c_str(), id.uid, id.gid) != 0) {
            fail("cannot give {} to uid {}: {}", p.string(), id.uid, std::strerror(errno));
        }
    };
    own(dir);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        own(entry.path());
    }
}

std::vector<std::string> compile_argv(const std::string& bwrap, const SandboxMounts& m,
                                      const std::optional<sandbox::Identity>& user) {
    std::vector<std::string> argv = base_argv(bwrap);
    argv.insert(argv.end(), {
        "--bind", m.app.string(), "/app",
        "--bind", m.cache.string(), "/cache",
        "--ro-bind", m.env.string(), "/env",
        "--ro-bind", m.buildpack.string(), "/buildpack",
        "--chdir", "/app"});
    std::vector<std::string> command =
        command_argv(user, {"/buildpack/bin/compile", "/app", "/cache", "/env"});
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

std::vector<std::string> script_argv(const std::string& bwrap, const std::filesystem::path& app,
                                     const std::filesystem::path& buildpack,
                                     const std::string& script,
                                     const std::optional<sandbox::Identity>& user) {
    std::vector<std::string> argv = base_argv(bwrap);
    argv.insert(argv.end(), {
        "--ro-bind", app.string(), "/app",
        "--ro-bind", buildpack.string(), "/buildpack",
        "--chdir", "/app"});
    std::vector<std::string> command = command_argv(user, {"/buildpack/bin/" + script, "/app"});
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}
// clang-format on

std::string find_bwrap() {
    auto path = find_executable("bwrap");
    if (!path) {
        fail("bubblewrap (bwrap) is needed to run buildpacks; install the bubblewrap package");
    }
    return path->string();
}

std::map<std::string, std::string> compile_env(const std::string& source_version) {
    return {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
            {"HOME", "/tmp"},
            {"LANG", "C.UTF-8"},
            {"STACK", "wm-debian-12"},
            {"SOURCE_VERSION", source_version}};
}

void write_env_dir(const std::filesystem::path& dir,
                   const std::map<std::string, std::string>& config) {
    fs::make_dirs(dir, 0700);
    for (const auto& [name, value] : config) {
        if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') {
            fail("config var name '{}' cannot be a file name", name);
        }
        fs::write_file_atomic(dir / name, value, 0600);
    }
}

namespace {

/// Cuts output chunks into lines for the reporter; a partial line waits for its end.
class LineReporter {
  public:
    explicit LineReporter(Reporter& r) : m_reporter(r) {}
    void feed(std::string_view chunk) {
        m_pending += chunk;
        size_t nl = 0;
        while ((nl = m_pending.find('\n')) != std::string::npos) {
            m_reporter.output(m_pending.substr(0, nl));
            m_pending.erase(0, nl + 1);
        }
    }
    void flush() {
        if (!m_pending.empty()) {
            m_reporter.output(m_pending);
            m_pending.clear();
        }
    }

  private:
    Reporter& m_reporter;
    std::string m_pending;
};

} // namespace

void run_reported(ProcessRunner& runner, const ProcessSpec& spec, Reporter& reporter,
                  const std::string& what) {
    // Both streams share one splitter: interleaving follows arrival, as on a terminal.
    LineReporter lines(reporter);
    ProcessResult r = runner.run(spec, [&](Stream, std::string_view chunk) { lines.feed(chunk); });
    lines.flush();
    if (r.timed_out) {
        fail("{} timed out", what);
    }
    if (r.exit_code != 0) {
        fail("{} failed (exit {})", what, r.exit_code);
    }
}

} // namespace wm::build
