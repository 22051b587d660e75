#include <wm/base/process.hpp>
#include <wm/rack/oneoff.hpp>

#include <fmt/format.h>

namespace wm::rack {

namespace {
std::string q(const std::string& s) { return shell_quote(s); }
} // namespace

std::string oneoff_command(const runtime::SandboxSpec& spec, const std::string& pid_file) {
    // setsid -w: the login shell may lead its session already, so setsid forks; -w waits and
    // passes the exit code on.
    return "mkdir -p " + q(spec.env_dir) + " " + q(spec.scratch_dir) + " && exec " +
           shell_join({"setsid", "-w", "/bin/sh", "-c",
                       "echo $$ > \"$0\" && exec /bin/sh -c \"$1\"", pid_file,
                       runtime::sandbox_command(spec)});
}

std::string stop_oneoff_command(const std::string& pid_file, const std::string& scratch) {
    return fmt::format(R"SH(p=$(cat {f} 2>/dev/null) && [ -n "$p" ] && {{
	kill -TERM "-$p" 2>/dev/null
	i=0
	while [ "$i" -lt 30 ] && kill -0 "-$p" 2>/dev/null; do i=$((i + 1)); sleep 0.1; done
	kill -KILL "-$p" 2>/dev/null
}}
{}
)SH",
                       finish_oneoff_command(pid_file, scratch), fmt::arg("f", q(pid_file)));
}

std::string finish_oneoff_command(const std::string& pid_file, const std::string& scratch) {
    return "rm -f " + q(pid_file) + "; rmdir " + q(scratch) + " 2>/dev/null; true";
}

} // namespace wm::rack
