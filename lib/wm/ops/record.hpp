#pragma once
// Deployment records: what `wm deployments` lists and `wm rollback` reads back. Pure builders.

#include <wm/base/reporter.hpp>
#include <wm/ops/env.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace wm::ops {

/// Schema version of deployment records.
inline constexpr int k_record_schema = 1;

/// The facts of one deployment of one stack.
struct DeploymentFacts {
    std::string app, environment, stack;
    int version = 0;
    std::string kind = "deploy"; ///< "deploy" or "rollback"
    build::SourceInfo source;
    std::string sha256;
    std::string started, finished;                      ///< RFC 3339 UTC
    std::string status;                                 ///< "running", "succeeded", "failed"
    std::string error;                                  ///< failure description, empty on success
    std::map<std::string, std::string> servers;         ///< server -> "ok" or the error
    nlohmann::json services = nlohmann::json::object(); ///< rack -> services_to_json()
    std::string fingerprint; ///< slug + services + config; equal means an identical deploy
};

/// The JSON record stored on the servers and in the journal.
nlohmann::json make_record(const DeploymentFacts& facts, const Identity& who);

/// Stored output: one line per event ("==> step", "server: message").
std::string format_log(const std::vector<Event>& events);

} // namespace wm::ops
