#pragma once
// Leftovers: instances that no deployment record owns on a server (a deploy interrupted or cut
// off after it started them). Every connection looks for them and stops them, so they never
// outlive the next contact (docs/RELIABILITY.md).

#include <wm/rack/layout.hpp>
#include <wm/transport/transport.hpp>

#include <string>
#include <vector>

namespace wm::rack {

/// The shell command that prints, one per line, the instances under `l`'s service dir that no
/// record owns on the server that the records call `server`: those of a version whose record
/// says "failed" (it switched nowhere) or says this server did not switch to it ("not ..."). An
/// app env whose deploy lease is held is skipped (a deploy may be starting instances there);
/// so is a version without a record (its deploy may still be running). Pure.
std::string leftovers_command(const Layout& l, const std::string& server);

/// Runs leftovers_command on `t` and stops what it names (no drain: no proxy routes to them).
/// Returns the stopped instance names. Throws Error when a command fails.
std::vector<std::string> stop_leftovers(transport::Transport& t, const Layout& l,
                                        const std::string& server);

} // namespace wm::rack
