#pragma once
// Deployment records: what `wm deployments` lists and `wm rollback` reads back; storing them
// on every server and in the local journal.

#include <wm/base/reporter.hpp>
#include <wm/deployment/deployment.hpp>
#include <wm/ops/env.hpp>
#include <wm/ops/fleet.hpp>

#include <string>
#include <vector>

namespace wm::ops {

/// "user@control-host", the `who` of records and activations.
std::string who_of(const Identity& who);

/// The source facts of a build copied into a record (commit, subject, author, dirty).
void set_source(Deployment& d, const build::SourceInfo& source);

/// Stores `d` and its output `log` on every server of `fleet` and in the local journal. A server
/// that cannot store it is warned about (naming it); the others still get it.
void store_record(Fleet& fleet, const Deployment& d, const std::string& log, Env& env);

/// Stored output: one line per event ("==> step", "server: message").
std::string format_log(const std::vector<Event>& events);

} // namespace wm::ops
