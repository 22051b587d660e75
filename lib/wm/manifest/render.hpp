#pragma once
// Presenting manifests: the resolved view as JSON or YAML text, and a one-line summary.
// Pure functions; the CLI prints what they return.

#include <wm/manifest/resolve.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace wm::manifest {

/// The resolved environment as a JSON document, keys in a reading order.
nlohmann::ordered_json to_json(const ResolvedEnvironment& env);

/// The same document as block-style YAML (what `wm manifest show` prints).
std::string to_yaml_text(const ResolvedEnvironment& env);

/// "app shop: 2 stacks, 3 services, 1 environment" (services counts only declared services;
/// a stack without `services:` gets its services from the release at build time).
std::string summary(const Manifest& m);

} // namespace wm::manifest
