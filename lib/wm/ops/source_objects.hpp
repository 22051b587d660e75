#pragma once
// The laptop's half of sending a build's source as git objects: which of the commits a builder
// holds this repository has too, and a pack of the objects of the commit's tree that none of
// them has. Runs the git binary (plain git: no transport of its own, the pack goes over the
// builder's SSH connection like any upload).

#include <wm/base/process.hpp>
#include <wm/rack/build_host.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wm::ops {

/// Writes a pack of the objects of `commit` (the commit and every tree and blob of its tree,
/// never its history) that are not in the trees of those of `known` (commits the builder holds)
/// this repository has, into `dir`; reads the repository at `repo_dir` with git through
/// `runner`. Returns nullopt when the builder has every object. Errors: git failing (its
/// message).
std::optional<rack::SourcePack> pack_missing_objects(ProcessRunner& runner,
                                                     const std::filesystem::path& repo_dir,
                                                     const std::string& commit,
                                                     const std::vector<std::string>& known,
                                                     const std::filesystem::path& dir);

/// The stack's directory relative to the repository's root as git names a tree in it ("." for
/// the root): `stack_path` is relative to `repo_dir`, any directory of the repository.
/// Errors: git failing.
std::string tree_path(ProcessRunner& runner, const std::filesystem::path& repo_dir,
                      const std::string& stack_path);

/// True when the exported tree at `app` holds a .gitattributes file (git archive on the
/// builder could apply what wm's export does not, e.g. export-subst).
bool has_git_attributes(const std::filesystem::path& app);

} // namespace wm::ops
