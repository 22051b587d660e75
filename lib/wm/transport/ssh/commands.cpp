#include <wm/base/process.hpp>
#include <wm/transport/ssh/commands.hpp>

#include <fmt/format.h>

namespace wm::transport::ssh {

std::string exec_line(const std::string& command, std::chrono::milliseconds timeout,
                      Privilege privilege) {
    std::string sh = (privilege == Privilege::sudo ? "sudo -n -- /bin/sh -c " : "/bin/sh -c ") +
                     shell_quote(command);
    if (timeout.count() <= 0) {
        return sh;
    }
    auto secs = (timeout.count() + 999) / 1000;
    return fmt::format("timeout -k 2 {} {}", secs, sh);
}

std::string write_file_command(const std::string& path, const std::string& tmp, unsigned mode) {
    std::string dir = path.substr(0, path.find_last_of('/'));
    std::string mkdir = dir.empty() ? "" : "mkdir -p " + shell_quote(dir) + " && ";
    std::string t = shell_quote(tmp);
    return fmt::format("{}umask 077 && {{ cat > {} && chmod {:04o} {} && mv -f {} {} || "
                       "{{ rm -f {}; exit 1; }}; }}",
                       mkdir, t, mode, t, t, shell_quote(path), t);
}

std::string sudo_probe_command() {
    return "command -v sudo >/dev/null 2>&1 || exit 127; sudo -n -- true";
}

std::string sudo_refusal(const std::string& user, int status, const std::string& stderr_text) {
    if (status == 127) {
        return fmt::format("user {} is not root and the server has no sudo: log in as root, or "
                           "install sudo and allow {} to use it without a password",
                           user, user);
    }
    if (stderr_text.find("password") != std::string::npos) {
        return fmt::format("user {} needs passwordless sudo (sudo asked for a password): add "
                           "'{} ALL=(ALL) NOPASSWD: ALL' to /etc/sudoers.d/{}, or log in as root",
                           user, user, user);
    }
    std::string why = stderr_text.substr(0, stderr_text.find('\n'));
    return fmt::format("user {} cannot become root with sudo -n (exit {}{}{})", user, status,
                       why.empty() ? "" : ": ", why);
}

std::string adopt_upload_command(const std::string& from, const std::string& tmp,
                                 const std::string& path, unsigned mode) {
    // install copies (the home may be another filesystem), so the rename is what is atomic.
    std::string dir = path.substr(0, path.find_last_of('/'));
    std::string mkdir = dir.empty() ? "" : "mkdir -p " + shell_quote(dir) + " && ";
    std::string t = shell_quote(tmp);
    return fmt::format("{}install -o root -g root -m {:04o} {} {} && mv -f {} {}; s=$?; rm -f {}; "
                       "[ $s = 0 ] || rm -f {}; exit $s",
                       mkdir, mode, shell_quote(from), t, t, shell_quote(path), shell_quote(from),
                       t);
}

std::string rename_command(const std::string& tmp, const std::string& path) {
    return "mv -f " + shell_quote(tmp) + " " + shell_quote(path);
}

std::string temp_name(const std::string& path, unsigned suffix) {
    return fmt::format("{}.tmp-{:08x}", path, suffix);
}

} // namespace wm::transport::ssh
