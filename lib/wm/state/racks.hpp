#pragma once
// Racks registered with `wm rack add`: one record per rack at <state_dir>/racks/<name>.json.
// The state module knows no manifests; lib/wm/rack turns these records into RackSpecs.

#include <wm/state/store.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wm::state {

/// One server of a registered rack. Empty user / port 0: from ~/.ssh/config, else root / 22.
struct ServerRecord {
    std::string address;
    std::string user;
    int port = 0;
    std::string key;  ///< private key path
    std::string name; ///< display name; empty: the address
};

/// A registered rack (provider "static": servers you already have).
struct RackRecord {
    std::string name;
    std::string provider = "static";
    std::string region;
    std::string alias_domain;
    std::vector<ServerRecord> servers;
};

/// Throws a usage Error unless `name` is a valid rack name ([a-z0-9][a-z0-9-]*, at most 63).
void check_rack_name(const std::string& name);

/// Every registered rack, sorted by name; none when the directory does not exist.
std::vector<RackRecord> load_racks(const Store& store);
/// The registered rack `name`, or nullopt.
std::optional<RackRecord> load_rack(const Store& store, const std::string& name);
/// Writes the record atomically (replacing one of the same name).
void save_rack(const Store& store, const RackRecord& rack);
/// Deletes the record; returns false when there was none.
bool remove_rack(const Store& store, const std::string& name);

/// The JSON form of a record (without "schema"), and back; throws Error naming `file` when a
/// field has the wrong type.
nlohmann::json to_json(const RackRecord& rack);
RackRecord rack_from_json(const nlohmann::json& doc, const std::string& file);

} // namespace wm::state
