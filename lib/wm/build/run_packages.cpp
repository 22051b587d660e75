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

std::vector<RunNeed> parse_run_needs(std::string_view text) {
    std::vector<RunNeed> out;
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
        size_t gap = line.find_first_of(" \t");
        std::string_view command;
        if (gap != std::string_view::npos) {
            command = line.substr(line.find_first_not_of(" \t", gap));
        }
        add_needs(out, {{std::string(line.substr(0, gap)), std::string(command)}});
    }
    return out;
}

std::vector<std::string> packages_of(const std::vector<RunNeed>& needs) {
    std::vector<std::string> out;
    for (const RunNeed& n : needs) {
        out.push_back(n.package);
    }
    return out;
}

std::vector<std::string> parse_run_packages(std::string_view text) {
    return packages_of(parse_run_needs(text));
}

void add_needs(std::vector<RunNeed>& to, const std::vector<RunNeed>& more) {
    for (const RunNeed& n : more) {
        if (std::none_of(to.begin(), to.end(),
                         [&](const RunNeed& have) { return have.package == n.package; })) {
            to.push_back(n);
        }
    }
}

std::vector<RunNeed> read_run_needs(const std::filesystem::path& buildpack_dir) {
    return parse_run_needs(fs::read_file_if_exists(buildpack_dir / "run-packages").value_or(""));
}

std::vector<RunNeed> read_build_needs(const std::filesystem::path& buildpack_dir) {
    return parse_run_needs(fs::read_file_if_exists(buildpack_dir / "build-packages").value_or(""));
}

std::vector<std::string> rack_run_packages(const manifest::Manifest& m, const std::string& rack,
                                           const std::filesystem::path& repo_dir,
                                           const std::filesystem::path& state_dir,
                                           ProcessRunner& runner, Reporter& reporter,
                                           bool builders) {
    std::vector<std::string> out;
    if (!deploys_to(m, rack)) {
        return out;
    }
    for (const manifest::StackSpec& stack : m.stacks) {
        BuildRequest req{repo_dir, stack, "HEAD", true, state_dir, ""};
        add_unique(out, packages_of(stack_run_needs(req, runner, reporter, builders)));
    }
    return out;
}

} // namespace wm::build
