#pragma once
// Internal to wm_source: what an export asks of each entry besides its content: whether
// .gitattributes marks it export-ignore, where a submodule's commit can be read from, and
// whether a symlink leaves the stack.

#include "git_handles.hpp"

#include <string>

namespace wm::source::detail {

/// True when `path` (relative to the root of `repo`) has the export-ignore attribute in the
/// .gitattributes of `commit` (or the index), as `git archive` honours it.
bool export_ignored(git_repository* repo, const git_oid& commit, const std::string& path);

/// The submodule repository at `path` (relative to the root of `repo`) when it has commit `id`:
/// its checkout, else its copy under <git dir>/modules/<name>. Throws Error naming the path,
/// the commit and `git submodule update --init --recursive` when neither has it.
RepoPtr submodule_repo(git_repository* repo, const std::string& path, const git_oid& id);

/// "<link> -> <target>" when the symlink at `link` (relative to the stack's root) points
/// outside the stack (an absolute target, or one with enough ".." to leave it); "" otherwise.
std::string outside_symlink(const std::string& link, const std::string& target);

} // namespace wm::source::detail
