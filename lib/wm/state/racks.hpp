#pragma once
// Racks registered with `wm rack add`: one record per rack at <state_dir>/racks/<name>.json,
// holding the same manifest::RackSpec a manifest declares (one shape of a rack and a server).

#include <wm/manifest/manifest.hpp>
#include <wm/state/store.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wm::state {

/// Throws a usage Error unless `name` is a valid rack name ([a-z0-9][a-z0-9-]*, at most 63).
void check_rack_name(const std::string& name);

/// Every registered rack (`registered` set), sorted by name; none when the directory does not
/// exist.
std::vector<manifest::RackSpec> load_racks(const Store& store);
/// The registered rack `name` (`registered` set), or nullopt.
std::optional<manifest::RackSpec> load_rack(const Store& store, const std::string& name);
/// Writes the record atomically (replacing one of the same name).
void save_rack(const Store& store, const manifest::RackSpec& rack);
/// Deletes the record; returns false when there was none.
bool remove_rack(const Store& store, const std::string& name);

/// The JSON form of a registered rack (without "schema"): name, provider, region, alias_domain
/// and servers {address, user, port, key, name}; unset user/port are "" and 0.
nlohmann::json to_json(const manifest::RackSpec& rack);
/// Back from to_json(); throws Error naming `file` when a field has the wrong type or the
/// provider is unknown.
manifest::RackSpec rack_from_json(const nlohmann::json& doc, const std::string& file);

} // namespace wm::state
