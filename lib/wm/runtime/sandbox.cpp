#include <wm/base/error.hpp>
#include <wm/base/process.hpp>
#include <wm/runtime/sandbox.hpp>

#include <fmt/format.h>

namespace wm::runtime {

namespace {

/// Overlay mount options and the scripts cannot carry these characters in paths.
void check_path(const std::string& what, const std::string& path) {
    if (path.empty() || path.front() != '/') {
        fail("{} must be an absolute path: '{}'", what, path);
    }
    if (path.find_first_of(",: \t\n'\"\\") != std::string::npos) {
        fail("{} contains a comma, colon, quote or blank: '{}'", what, path);
    }
}

std::string merged_dir(const SandboxSpec& spec) { return spec.scratch_dir + "/merged"; }

/// Mounts a tmpfs on the scratch dir and an overlay (release below, tmpfs above) in it. The
/// merged root takes the upper dir's owner: the user's, so the app can write /app.
std::string overlay_setup(const SandboxSpec& spec) {
    const std::string& s = spec.scratch_dir;
    std::string chown =
        spec.user ? fmt::format("chown {}:{} {}/upper && ", spec.user->uid, spec.user->gid, s) : "";
    return fmt::format("mount -t tmpfs -o size={} wm-layer {s} && "
                       "mkdir {s}/upper {s}/work {s}/merged && {}"
                       "mount -t overlay overlay -o lowerdir={},upperdir={s}/upper,"
                       "workdir={s}/work {s}/merged",
                       spec.layer_size, chown, spec.app_dir, fmt::arg("s", s));
}

/// Opens the seccomp program on fd 3 for bwrap's --seccomp 3 (inherited through chpst and
/// unshare).
std::string seccomp_redirect(const SandboxSpec& spec) {
    return spec.seccomp_file.empty() ? "" : " 3<" + shell_quote(spec.seccomp_file);
}

} // namespace

std::vector<std::string> bwrap_argv(const SandboxSpec& spec) {
    std::vector<std::string> argv = {"bwrap"};
    std::vector<std::string> system = sandbox::system_argv();
    argv.insert(argv.end(), system.begin(), system.end());
    if (!spec.etc_dir.empty()) {
        std::vector<std::string> etc = sandbox::etc_argv(spec.etc_dir);
        argv.insert(argv.end(), etc.begin(), etc.end());
    }
    if (!spec.resolv_conf.empty()) {
        argv.insert(argv.end(), {"--ro-bind", spec.resolv_conf, "/etc/resolv.conf"});
    }
    if (spec.layer == WritableLayer::overlay) {
        argv.insert(argv.end(), {"--bind", merged_dir(spec), "/app"});
    } else {
        argv.insert(argv.end(), {"--ro-bind", spec.app_dir, "/app"});
    }
    argv.insert(argv.end(), {"--unshare-ipc", "--unshare-pid", "--die-with-parent", "--chdir",
                             "/app", "--setenv", "HOME", "/app"});
    if (spec.port > 0) {
        argv.insert(argv.end(), {"--setenv", "PORT", std::to_string(spec.port)});
    }
    if (!spec.seccomp_file.empty()) {
        argv.insert(argv.end(), {"--seccomp", "3"});
    }
    if (spec.user) {
        argv.insert(argv.end(), {"--setenv", "USER", spec.user->name});
        std::vector<std::string> drop = sandbox::drop_argv(*spec.user);
        argv.insert(argv.end(), drop.begin(), drop.end());
    }
    if (spec.console) {
        argv.insert(argv.end(), {"/usr/bin/env", "--default-signal=INT,QUIT"});
    }
    argv.insert(argv.end(), {"/bin/bash", "-c", k_launcher, "wm-launch", spec.command});

    return argv;
}

namespace {

/// Exports every file of the envdir in $1 byte-exact, then execs the rest of its arguments.
/// Not `chpst -e`: it strips trailing spaces and tabs from every value. A file holds the value
/// with NULs for newlines and one newline at the end (envdir_value); `echo .` keeps command
/// substitution from eating trailing newlines, and ${v%?.} drops that final newline again.
const char* k_env_loader =
    R"SH(for f in "$1"/*; do [ -f "$f" ] || continue; v=$(tr "\0" "\n" < "$f"; echo .); export "${f##*/}=${v%?.}"; done; shift; exec "$@")SH";

} // namespace

std::string env_exec_prefix(const std::string& env_dir) {
    return shell_join({"/bin/sh", "-c", k_env_loader, "wm-env", env_dir});
}

namespace {

/// The command line with `memory` (raw shell text, may be empty) as chpst's memory options.
std::string command_with(const SandboxSpec& spec, const std::string& memory) {
    check_path("release app dir", spec.app_dir);
    std::string head;
    if (!spec.env_dir.empty()) {
        check_path("envdir", spec.env_dir);
        head = env_exec_prefix(spec.env_dir) + " ";
    }
    head += "chpst" + (memory.empty() ? "" : " " + memory);
    if (!spec.netns_path.empty()) {
        check_path("network namespace", spec.netns_path);
        head += " nsenter --net=" + spec.netns_path;
    }
    std::string bwrap = shell_join(bwrap_argv(spec));
    if (spec.layer == WritableLayer::tmp_only) {
        return head + " " + bwrap + seccomp_redirect(spec);
    }
    check_path("scratch dir", spec.scratch_dir);
    return head + " " +
           shell_join({"unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                       overlay_setup(spec) + " && exec " + bwrap}) +
           seccomp_redirect(spec);
}

/// Moves the run script into its own memory cgroup (v1) below its current one when the server
/// has one, so the limit is hard; otherwise leaves $mem as chpst's RLIMIT_DATA fallback.
std::string cgroup_block(std::uint64_t bytes) {
    return fmt::format(R"SH(mem="-d {b}"
cg=/sys/fs/cgroup/memory
if [ -w "$cg/cgroup.procs" ]; then
	d="$cg$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)"
	d="${{d%/}}/widemesh/${{PWD##*/}}"
	mkdir -p "$d" && echo {b} > "$d/memory.limit_in_bytes" && echo $$ > "$d/cgroup.procs" &&
		echo "$d" > cgroup && mem=
fi
)SH",
                       fmt::arg("b", bytes));
}

} // namespace

std::string sandbox_command(const SandboxSpec& spec) {
    return command_with(spec, spec.memory_bytes ? "-d " + std::to_string(*spec.memory_bytes) : "");
}

std::string render_run_script(const SandboxSpec& spec) {
    std::string memory = spec.memory_bytes ? cgroup_block(*spec.memory_bytes) : "";
    std::string network;
    if (!spec.netns_path.empty() && !spec.netns_setup.empty()) {
        check_path("network setup script", spec.netns_setup);
        network = fmt::format("[ -e {0} ] || flock {1} sh {1} >/dev/null || exit 1\n",
                              spec.netns_path, spec.netns_setup);
    }
    return fmt::format("#!/bin/sh\n"
                       "# generated by wm; runit restarts it, ./starts counts the starts\n"
                       "exec 2>&1\n"
                       "PATH={}\n"
                       "export PATH\n"
                       "printf x >> starts\n"
                       "{}{}"
                       "exec {}\n",
                       k_path, network, memory,
                       command_with(spec, spec.memory_bytes ? "$mem" : ""));
}

std::string render_control_term(int grace_s) {
    return fmt::format(R"SH(#!/bin/sh
# generated by wm: graceful stop of the app inside the sandbox
pid=$(cat supervise/pid 2>/dev/null) || exit 1
descendants() {{ for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }}
apps=
for p in $(descendants "$pid"); do
	case "$(cat "/proc/$p/comm" 2>/dev/null)" in sh|dash|bash|bwrap) ;; *) apps="$apps $p";; esac
done
[ -n "$apps" ] && kill -TERM $apps 2>/dev/null
alive() {{ for p in $apps; do [ -d "/proc/$p" ] && return 0; done; return 1; }}
i=0
while [ "$i" -lt {} ] && alive; do i=$((i + 1)); sleep 0.1; done
exit 1
)SH",
                       grace_s * 10);
}

std::string render_log_run(const std::string& log_dir) {
    return fmt::format("#!/bin/sh\nexec svlogd -tt {}\n", shell_quote(log_dir));
}

std::string render_log_config(std::uint64_t size_bytes, int keep) {
    return fmt::format("s{}\nn{}\n", size_bytes, keep);
}

std::string envdir_value(const std::string& value) {
    std::string out = value;
    for (char& c : out) {
        if (c == '\n') {
            c = '\0';
        }
    }
    return out + "\n";
}

bool valid_env_name(const std::string& name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
        return false;
    }
    for (char c : name) {
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

} // namespace wm::runtime
