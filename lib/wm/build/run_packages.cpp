#include <wm/base/fs.hpp>
#include <wm/build/build.hpp>
#include <wm/build/run_packages.hpp>

#include <algorithm>

namespace wm::build {

namespace {

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& more) {
    for (const std::string& p : more) {
        if (std::find(to.begin(), to.end(), p) == to.end()) {
            to.push_back(p);
        }
    }
}

bool deploys_to(const manifest::Manifest& m, const std::string& rack) {
    return std::any_of(m.environments.begin(), m.environments.end(), [&](const auto& env) {
        return std::find(env.racks.begin(), env.racks.end(), rack) != env.racks.end();
    });
}

} // namespace

std::vector<std::string> parse_run_packages(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        line = line.substr(0, line.find('#'));
        size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) {
            continue;
        }
        line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
        add_unique(out, {std::string(line)});
    }
    return out;
}

std::vector<std::string> read_run_packages(const std::filesystem::path& buildpack_dir) {
    return parse_run_packages(fs::read_file_if_exists(buildpack_dir / "run-packages").value_or(""));
}

std::vector<std::string> rack_run_packages(const manifest::Manifest& m, const std::string& rack,
                                           const std::filesystem::path& repo_dir,
                                           const std::filesystem::path& state_dir,
                                           ProcessRunner& runner, Reporter& reporter) {
    std::vector<std::string> out;
    if (!deploys_to(m, rack)) {
        return out;
    }
    for (const manifest::StackSpec& stack : m.stacks) {
        BuildRequest req{repo_dir, stack, "HEAD", true, state_dir};
        add_unique(out, stack_run_packages(req, runner, reporter));
    }
    return out;
}

} // namespace wm::build
