#include <wm/base/process.hpp>
#include <wm/rack/source_commands.hpp>

#include <fmt/format.h>

#include <sstream>

namespace wm::rack {

namespace {
std::string q(const std::string& s) { return shell_quote(s); }

bool is_commit_id(const std::string& s) {
    return s.size() == 40 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}
} // namespace

std::string source_repo_dir(const Layout& l, const std::string& app) {
    return l.build_dir() + "/git/" + app + ".git";
}

Need source_repo_need() { return {"", "git", "git", "the builder"}; }

std::string known_commits_command(const Layout& l, const std::string& app, int limit) {
    return fmt::format("command -v git >/dev/null || {{ echo no-git; exit 0; }}; "
                       "[ -d {r} ] || exit 0; "
                       "git -C {r} for-each-ref --sort=-committerdate --count={n} "
                       "--format='%(objectname)' refs/wm/",
                       fmt::arg("r", q(source_repo_dir(l, app))), fmt::arg("n", limit));
}

std::optional<std::vector<std::string>> parse_known_commits(const std::string& out) {
    std::istringstream in(out);
    std::vector<std::string> commits;
    for (std::string word; in >> word;) {
        if (word == "no-git") {
            return std::nullopt;
        }
        if (is_commit_id(word)) {
            commits.push_back(word);
        }
    }
    return commits;
}

std::string stage_commit_command(const Layout& l, const std::string& app, const std::string& id,
                                 const std::string& pack, const std::string& commit,
                                 const std::string& subpath) {
    std::string work = l.build_work_dir(id);
    std::string tree = subpath.empty() || subpath == "." ? commit : commit + ":" + subpath;
    // Packs are indexed as they come, never fetched: the repository holds commits without
    // their parents (only the trees built here), which git fetch would refuse.
    std::string add = pack.empty()
                          ? ""
                          : fmt::format("git -C \"$r\" index-pack --stdin < {p}; rm -f {p}; ",
                                        fmt::arg("p", q(pack)));
    return fmt::format(
        "set -e; mkdir -p {b}/git; chmod 0700 {b}; r={r}; "
        "[ -d \"$r\" ] || git init -q --bare \"$r\"; {add}"
        "git -C \"$r\" update-ref refs/wm/{c} {c}; "
        "rm -rf {w}; mkdir -p -m 0700 {w}; mkdir -p {w}/app {w}/env; "
        "git -C \"$r\" archive --format=tar -o {w}/source.tar {t}; "
        "tar -xf {w}/source.tar -C {w}/app; rm -f {w}/source.tar {w}/app/widemesh.yaml",
        fmt::arg("b", q(l.build_dir())), fmt::arg("r", q(source_repo_dir(l, app))),
        fmt::arg("add", add), fmt::arg("c", commit), fmt::arg("w", q(work)),
        fmt::arg("t", q(tree)));
}

} // namespace wm::rack
