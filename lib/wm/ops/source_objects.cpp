#include <wm/base/error.hpp>
#include <wm/ops/source_objects.hpp>

#include <fmt/format.h>

#include <set>
#include <sstream>

namespace wm::ops {

namespace stdfs = std::filesystem;

namespace {

/// The newest commits the builder holds whose trees count as there; more only costs time here.
constexpr size_t k_bases = 4;

std::string git(ProcessRunner& runner, const stdfs::path& repo, std::vector<std::string> args,
                const std::string& input = "") {
    args.insert(args.begin(), {"git", "-C", repo.string()});
    ProcessSpec spec;
    spec.argv = args;
    spec.stdin_data = input;
    ProcessResult r = runner.run(spec);
    if (r.exit_code != 0) {
        fail("{} failed (exit {}): {}", shell_join(args), r.exit_code, r.err);
    }
    return r.out;
}

std::vector<std::string> common_commits(ProcessRunner& runner, const stdfs::path& repo,
                                        const std::vector<std::string>& known) {
    std::string input;
    for (const std::string& c : known) {
        input += c + "\n";
    }
    std::istringstream out(git(runner, repo, {"cat-file", "--batch-check"}, input));
    std::vector<std::string> common;
    for (std::string id, type, line; std::getline(out, line) && common.size() < k_bases;) {
        std::istringstream words(line);
        if (words >> id >> type && type == "commit") {
            common.push_back(id);
        }
    }
    return common;
}

/// `rev-list --objects --no-walk` lines ("<id>" or "<id> <path>") of `commits`' trees.
std::vector<std::string> tree_objects(ProcessRunner& runner, const stdfs::path& repo,
                                      const std::vector<std::string>& commits) {
    std::vector<std::string> args{"rev-list", "--objects", "--no-walk"};
    args.insert(args.end(), commits.begin(), commits.end());
    std::istringstream out(git(runner, repo, args));
    std::vector<std::string> lines;
    for (std::string line; std::getline(out, line);) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

std::string object_id(const std::string& line) { return line.substr(0, line.find(' ')); }

} // namespace

std::optional<rack::SourcePack>
pack_missing_objects(ProcessRunner& runner, const stdfs::path& repo_dir, const std::string& commit,
                     const std::vector<std::string>& known, const stdfs::path& dir) {
    return with_context(fmt::format("packing the objects of {}", commit.substr(0, 12)), [&] {
        std::vector<std::string> common = common_commits(runner, repo_dir, known);
        std::set<std::string> there;
        if (!common.empty()) {
            for (const std::string& line : tree_objects(runner, repo_dir, common)) {
                there.insert(object_id(line));
            }
        }
        std::string wanted;
        size_t objects = 0;
        for (const std::string& line : tree_objects(runner, repo_dir, {commit})) {
            if (there.count(object_id(line)) == 0) {
                wanted += line + "\n";
                ++objects;
            }
        }
        if (objects == 0) {
            return std::optional<rack::SourcePack>{};
        }
        std::string base = (dir / "objects").string();
        std::istringstream out(git(runner, repo_dir, {"pack-objects", "-q", base}, wanted));
        std::string hash;
        out >> hash;
        stdfs::path pack = base + "-" + hash + ".pack";
        return std::optional<rack::SourcePack>{
            rack::SourcePack{pack, stdfs::file_size(pack), objects, common.size()}};
    });
}

std::string tree_path(ProcessRunner& runner, const stdfs::path& repo_dir,
                      const std::string& stack_path) {
    std::string prefix = git(runner, repo_dir, {"rev-parse", "--show-prefix"});
    prefix.erase(prefix.find_last_not_of("\n") + 1);
    std::string path = (stdfs::path(prefix) / stack_path).lexically_normal().generic_string();
    while (!path.empty() && path.back() == '/') {
        path.pop_back();
    }
    return path.empty() ? "." : path;
}

bool has_git_attributes(const stdfs::path& app) {
    for (const auto& entry : stdfs::recursive_directory_iterator(app)) {
        if (entry.path().filename() == ".gitattributes") {
            return true;
        }
    }
    return false;
}

} // namespace wm::ops
