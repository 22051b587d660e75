#pragma once
// Pure builders of the shell commands of a build on a rack server (the builder) and of handing
// its slug to the other servers: buildpacks by hash, the source, packing a reproducible slug,
// checking a slug by sha256, and a one-time rsync daemon the other servers fetch from. Tested by
// exact text; no value passed here is secret (the offer's token travels on stdin).

#include <wm/rack/layout.hpp>
#include <wm/rack/server_commands.hpp>

#include <string>
#include <vector>

namespace wm::rack {

/// A one-time rsync daemon on a builder serving its slugs/ read-only to whoever knows `token`.
struct SlugOffer {
    std::string id;                     ///< build/serve/<id>
    int port = 0;                       ///< TCP port it listens on (30000-39999)
    std::string token;                  ///< its password (user "wm"), 32 hex
    std::vector<std::string> addresses; ///< where the other servers try to reach it, in order
};

/// What every server needs when slugs are built on the rack: rsync (the builder's one-time
/// daemon, the other servers' delta fetch).
Need slug_transfer_need();

/// Exits 0 when buildpack `hash` is installed on the builder (its .complete marker exists).
std::string buildpack_present_command(const Layout& l, const std::string& hash);
/// Unpacks the uploaded tar.zst `tar` into buildpacks/<hash> (through a temp dir, the marker
/// last, so a half-written buildpack is never used) and removes `tar`.
std::string install_buildpack_command(const Layout& l, const std::string& hash,
                                      const std::string& tar);
/// Creates build/work/<id> (0700) with app/ and env/, unpacks the source tar.zst `tar` into
/// app/ and removes `tar`.
std::string stage_source_command(const Layout& l, const std::string& id, const std::string& tar);
/// Creates `caches` and gives them, the build's app/ and env/ to uid (= gid), the unprivileged
/// user bin/compile runs as.
std::string give_build_command(const Layout& l, const std::string& id,
                               const std::vector<std::string>& caches, int uid);
/// Packs build/work/<id>/app into a slug as the slug module does (entries sorted by name,
/// uid/gid 0, mtime 1980-01-01, directories and executables 0755, other files 0644; GNU tar,
/// zstd --rsyncable so a small change leaves most of the compressed bytes equal), moves it to
/// slugs/<sha256>.tar.zst and prints "<sha256> <bytes>".
std::string pack_slug_command(const Layout& l, const std::string& id);
/// Removes build/work/<id>.
std::string remove_build_command(const Layout& l, const std::string& id);
/// Exits 0 when slugs/<sha256>.tar.zst exists and its content has that sha256; removes a
/// corrupted one (so it is fetched again) and exits 1.
std::string slug_valid_command(const Layout& l, const std::string& sha256);
/// Starts a one-time rsync daemon over slugs/ on a free port of 30000-39999 (up to 8 tries)
/// with a fresh random token; prints "<port> <token> <the server's addresses>".
std::string offer_slugs_command(const Layout& l, const std::string& id);
/// Stops the daemon of offer `id` and removes its files (exits 0 when there is none).
std::string withdraw_slugs_command(const Layout& l, const std::string& id);
/// Fetches slugs/<sha256>.tar.zst from `offer` (the token is read from stdin), trying its
/// addresses in order, with the newest local slug as rsync's basis (left unchanged) so only
/// changed blocks travel, also when they moved; checks the sha256 before it becomes visible;
/// prints the bytes received from the builder.
std::string fetch_slug_command(const Layout& l, const SlugOffer& offer, const std::string& sha256);

/// The offer printed by offer_slugs_command (`first` prepended to its addresses, once);
/// throws Error when `out` is not "<port> <token> [addresses]".
SlugOffer parse_offer(const std::string& id, const std::string& out, const std::string& first);

} // namespace wm::rack
