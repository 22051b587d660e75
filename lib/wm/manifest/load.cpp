#include <wm/base/fs.hpp>
#include <wm/manifest/detail/parse.hpp>
#include <wm/manifest/detail/validate.hpp>
#include <wm/manifest/load.hpp>

#include <fmt/format.h>

namespace wm::manifest {

std::string Problem::format() const {
    if (key_path.empty()) {
        return fmt::format("{}:{}:{}: {}", file, line, column, message);
    }
    return fmt::format("{}:{}:{}: {}: {}", file, line, column, key_path, message);
}

CheckResult check_string(std::string_view text, const std::string& file_name,
                         const LoadOptions& options) {
    detail::Diagnostics diag(file_name);
    auto m = detail::parse_manifest(text, diag);
    if (m) {
        detail::complete_and_check(*m, diag, options.registered_racks);
    }
    CheckResult result;
    result.problems = diag.problems();
    if (result.problems.empty()) {
        m->file = file_name;
        result.manifest = std::move(m);
    }
    return result;
}

CheckResult check_file(const std::filesystem::path& path, const LoadOptions& options) {
    if (std::filesystem::is_directory(path)) {
        fail("{}: is a directory, not a manifest file", path.string());
    }
    auto text = fs::read_file_if_exists(path);
    if (!text) {
        fail("{}: no such file (run 'wm init' to write one)", path.string());
    }
    return check_string(*text, path.string(), options);
}

Error problems_error(const std::vector<Problem>& problems) {
    std::string message;
    for (const auto& p : problems) {
        message += (message.empty() ? "" : "\n") + p.format();
    }
    return Error(message);
}

Manifest load_string(std::string_view text, const std::string& file_name,
                     const LoadOptions& options) {
    auto result = check_string(text, file_name, options);
    if (!result.manifest) {
        throw problems_error(result.problems);
    }
    return *result.manifest;
}

Manifest load_file(const std::filesystem::path& path, const LoadOptions& options) {
    auto result = check_file(path, options);
    if (!result.manifest) {
        throw problems_error(result.problems);
    }
    return *result.manifest;
}

} // namespace wm::manifest
