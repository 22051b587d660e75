#pragma once
// Leftovers: instances that no deployment owns on a server (a deploy interrupted, killed or cut
// off after it started them). Every connection surveys the server in one round trip, releases
// the deploy leases whose holder has ended, and stops what no record or route owns, so nothing
// outlives the next contact (docs/RELIABILITY.md, "Leftovers"). Pure parts here; ServerOps runs
// them (server_ops_reconcile.cpp).

#include <wm/deployment/app_env.hpp>
#include <wm/rack/layout.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace wm::rack {

/// One instance found on a server, with what the record of its version there says.
struct Sighting {
    std::string name; ///< <app>.<env>.<stack>.<service>.v<N>.<index>
    AppEnv app_env;
    std::string stack;
    int version = 0;
    /// "ok" (a record that this server serves or served it), "gone" (the record says the deploy
    /// failed, or that this server did not switch to it), "none" (no record: its deploy is
    /// running, or ended without recording)
    std::string verdict;
};

/// What survey_command found: the instances and the deploy leases (lock file content by app env).
struct Survey {
    std::vector<Sighting> instances;
    std::map<AppEnv, std::string> leases;
};

/// The shell command that prints, one per line, "inst\t<name>\t<verdict>" for every instance
/// under `l`'s service dir (the records read are those of the server that they call `server`),
/// then "lease\t<app>.<env>\t<lock file on one line>" for every deploy lease. Pure.
std::string survey_command(const Layout& l, const std::string& server);

/// Parses survey_command's output; lines of another shape (a name that is not an instance's)
/// are skipped.
Survey parse_survey(const std::string& out);

/// True when leftovers() needs to know which instances the proxy routes to: some stack of an
/// app env outside `leased` runs several versions, or one without a record.
bool needs_routes(const Survey& survey, const std::set<AppEnv>& leased);

/// The instances to stop, by name. App envs in `leased` (a live deploy lease: a deploy may be
/// starting instances there) are left alone. Per stack of the others: when the proxy routes to
/// some of its instances (`routed`, names), every instance of a version it does not route to
/// goes; otherwise the versions whose record says "gone", and the versions without a record
/// when another version has one that owns it. A routed instance never goes. Pure.
std::vector<std::string> leftovers(const Survey& survey, const std::set<AppEnv>& leased,
                                   const std::set<std::string>& routed);

} // namespace wm::rack
