#pragma once
// One deployment of one stack: the record stored on every server of the environment
// (apps/<app>/<env>/<stack>/deployments/v<N>.json) and in the local journal, listed by
// `wm deployments` and read back by rollback. The one place it turns into JSON and back.

#include <wm/deployment/app_env.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace wm {

/// Schema version of deployment records (written as "schema").
inline constexpr int k_deployment_schema = 1;

/// A later re-activation of a deployment (e.g. a rollback to it).
struct ActivationRecord {
    std::string kind = "rollback";
    int from = -1;    ///< version that was running before
    std::string who;  ///< user@control-host
    std::string when; ///< RFC 3339 UTC
};

/// The record of one deployment of one stack.
struct Deployment {
    int schema = k_deployment_schema;
    std::string app, environment, stack;
    int version = -1;            ///< v<N>, the same on every server
    std::string kind = "deploy"; ///< "deploy" or "rollback"
    std::string commit, short_commit, subject, author;
    bool dirty = false;                         ///< built from a dirty work tree
    std::string slug_sha256;                    ///< the slug it runs
    std::string who;                            ///< user@control-host
    std::string started, finished;              ///< RFC 3339 UTC
    std::string status;                         ///< "running", "succeeded", "failed"
    std::string error;                          ///< failure description, empty on success
    std::map<std::string, std::string> servers; ///< server -> "ok" or its outcome
    /// rack -> services it runs (ops::services_to_json form; read back by rollback).
    nlohmann::json services = nlohmann::json::object();
    std::string fingerprint; ///< slug + services + config; equal: identical deploy
    std::vector<ActivationRecord> activations; ///< later re-activations, oldest first
    /// What made it when not a new commit ("config set FOO", "config unset BAR"); empty for a
    /// deploy (stored only when set).
    std::string description;

    AppEnv app_env() const { return {app, environment}; } ///< the app env it belongs to
};

/// The stored JSON form (keys as written since schema 1; "activations" only when any).
nlohmann::json to_json(const Deployment& d);

/// Reads a stored record; a missing key keeps its default. Throws Error naming the key when a
/// value has the wrong type.
Deployment deployment_from_json(const nlohmann::json& j);

} // namespace wm
