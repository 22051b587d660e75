#include <wm/base/process.hpp>
#include <wm/rack/file_batch.hpp>

#include <fmt/format.h>

namespace wm::rack {

std::string write_files_command(const std::vector<FileWrite>& files) {
    std::string out;
    for (const FileWrite& f : files) {
        std::string path = shell_quote(f.path), tmp = shell_quote(f.path + ".wm-tmp");
        out += fmt::format("{}printf '%s' {} > {} && chmod {:o} {} && mv -f {} {}",
                           out.empty() ? "" : " &&\n", shell_quote(f.content), tmp, f.mode, tmp,
                           tmp, path);
    }
    return out.empty() ? "true" : out;
}

std::string chain_commands(const std::vector<std::string>& commands) {
    std::string out;
    for (const std::string& c : commands) {
        out += (out.empty() ? "{\n" : " && {\n") + c + "\n}";
    }
    return out.empty() ? "true" : out;
}

} // namespace wm::rack
