#pragma once
// Pure builders of the commands that keep an app's source on its builder as git objects: a bare
// repository per app (build/git/<app>.git) holding each commit built there under refs/wm/, so
// the laptop sends only the objects it lacks and the builder exports the commit's tree itself.
// Tested by exact text.

#include <wm/deployment/app_env.hpp>
#include <wm/rack/layout.hpp>
#include <wm/rack/server_commands.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wm::rack {

/// The bare repository of `app`'s source on a builder: build/git/<app>.git (one per app: its
/// environments share their objects).
std::string source_repo_dir(const Layout& l, const std::string& app);

/// What a builder needs to keep the source as git objects: git ("the builder needs git" when
/// missing). Deploy's preflight requires it of the builder; known_commits_command still copes
/// without it (the source then goes as a whole tree).
Need source_repo_need();

/// Prints the commits `app`'s repository holds (refs/wm/, newest first, at most `limit`);
/// prints "no-git" when git is not installed and nothing when there is no repository yet.
std::string known_commits_command(const Layout& l, const std::string& app, int limit);

/// The commit ids (40 hex) in known_commits_command's output; nullopt when it said "no-git".
std::optional<std::vector<std::string>> parse_known_commits(const std::string& out);

/// Adds the uploaded pack file `pack` (may be "": nothing to add) to `app`'s repository,
/// references `commit` as refs/wm/<commit>, then stages build/work/<id> as
/// stage_source_command does with app/ holding the tree of `commit` at `subpath` ("." for the
/// root), exported by git archive, minus the manifest (widemesh.yaml, never in a slug).
std::string stage_commit_command(const Layout& l, const std::string& app, const std::string& id,
                                 const std::string& pack, const std::string& commit,
                                 const std::string& subpath);

} // namespace wm::rack
