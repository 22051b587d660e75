#include <wm/base/process.hpp>
#include <wm/transport/ssh/commands.hpp>

#include <fmt/format.h>

namespace wm::transport::ssh {

std::string exec_line(const std::string& command, std::chrono::milliseconds timeout) {
    std::string sh = "/bin/sh -c " + shell_quote(command);
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

std::string rename_command(const std::string& tmp, const std::string& path) {
    return "mv -f " + shell_quote(tmp) + " " + shell_quote(path);
}

std::string temp_name(const std::string& path, unsigned suffix) {
    return fmt::format("{}.tmp-{:08x}", path, suffix);
}

} // namespace wm::transport::ssh
