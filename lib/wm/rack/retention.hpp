#pragma once
// Which releases and slugs a server keeps, and the commands that remove the rest. Only
// succeeded deployments count toward keep_releases: failed ones never push a good release out.

#include <wm/deployment/deployment.hpp>
#include <wm/rack/layout.hpp>

#include <set>
#include <string>
#include <vector>

namespace wm::rack {

/// The versions of one stack a server keeps: the newest `keep` (>= 1) succeeded deployments of
/// `records`, `current` (the version serving, -1: none) and the succeeded release that served
/// most recently before it (latest of its deploy and re-activations: what `wm rollback`
/// returns to), whatever `keep` says. Failed and running records count for nothing.
std::set<int> retained_versions(const std::vector<Deployment>& records, int keep, int current);

/// Prints every stored deployment record of the app env's stack, each followed by an ASCII
/// record separator (0x1e), oldest first (one round trip for the whole history).
std::string read_deployments_command(const Layout& l, const AppEnv& ae, const std::string& stack);

/// Splits read_deployments_command's output into records; a record that is not valid JSON
/// (a half-written file) is skipped. Ascending by version.
std::vector<Deployment> parse_deployments(const std::string& output);

/// Removes releases/v<N> of the given versions of the app env's stack and their instances' logs.
std::string prune_command(const Layout& l, const AppEnv& ae, const std::string& stack,
                          const std::vector<int>& versions);

/// Writes releases/v<N>/slug: the sha256 of the slug the release was unpacked from, read by
/// prune_slugs_command.
std::string record_slug_command(const Layout& l, const AppEnv& ae, const std::string& stack,
                                int version, const std::string& sha256);

/// Removes the slugs under slugs/ that no release of any app on the server names in its `slug`
/// file and that were last written more than `grace_minutes` ago (so a slug another app's deploy
/// has just uploaded but not yet unpacked stays). Prints the sha256 of each removed slug.
std::string prune_slugs_command(const Layout& l, int grace_minutes);

/// Minutes an unreferenced slug stays on a server (see prune_slugs_command).
inline constexpr int k_slug_grace_minutes = 60;

} // namespace wm::rack
