#include <wm/base/error.hpp>
#include <wm/state/racks.hpp>

#include <algorithm>

namespace wm::state {

namespace {

std::filesystem::path record_path(const std::string& name) {
    return std::filesystem::path("racks") / (name + ".json");
}

template <typename T>
T field(const nlohmann::json& doc, const char* key, T fallback, const std::string& where) {
    if (!doc.contains(key)) {
        return fallback;
    }
    try {
        return doc.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        fail("{}: field \"{}\" has the wrong type", where, key);
    }
}

} // namespace

void check_rack_name(const std::string& name) {
    bool ok = !name.empty() && name.size() <= 63 && name.front() != '-' &&
              std::all_of(name.begin(), name.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
              });
    if (!ok) {
        throw usage_error(fmt::format(
            "invalid rack name '{}': use lower-case letters, digits and '-' (at most 63)", name));
    }
}

nlohmann::json to_json(const manifest::RackSpec& rack) {
    nlohmann::json servers = nlohmann::json::array();
    for (const auto& s : rack.servers) {
        nlohmann::json server = {{"address", s.address},
                                 {"user", s.user},
                                 {"port", s.port},
                                 {"key", s.key},
                                 {"name", s.name}};
        if (!s.jump.empty()) {
            server["jump"] = s.jump;
        }
        servers.push_back(server);
    }
    return {{"name", rack.name},
            {"provider", std::string(manifest::to_string(rack.provider))},
            {"region", rack.region},
            {"alias_domain", rack.alias_domain},
            {"servers", servers}};
}

manifest::RackSpec rack_from_json(const nlohmann::json& doc, const std::string& file) {
    manifest::RackSpec r;
    r.registered = true;
    r.name = field<std::string>(doc, "name", "", file);
    auto word = field<std::string>(doc, "provider", "static", file);
    auto provider = manifest::provider_from_string(word);
    if (!provider) {
        fail("{}: unknown provider \"{}\" (known: {})", file, word, manifest::provider_names());
    }
    r.provider = *provider;
    r.region = field<std::string>(doc, "region", "", file);
    r.alias_domain = field<std::string>(doc, "alias_domain", "", file);
    auto servers = field<nlohmann::json>(doc, "servers", nlohmann::json::array(), file);
    if (!servers.is_array()) {
        fail("{}: field \"servers\" has the wrong type", file);
    }
    for (const auto& s : servers) {
        std::string where = fmt::format("{}: servers[{}]", file, r.servers.size());
        r.servers.push_back(manifest::ServerSpec{
            field<std::string>(s, "address", "", where), field<std::string>(s, "user", "", where),
            field<int>(s, "port", 0, where), field<std::string>(s, "key", "", where),
            field<std::string>(s, "name", "", where), field<std::string>(s, "jump", "", where)});
    }
    return r;
}

std::optional<manifest::RackSpec> load_rack(const Store& store, const std::string& name) {
    check_rack_name(name);
    auto doc = store.read_record(record_path(name));
    if (!doc) {
        return std::nullopt;
    }
    return rack_from_json(*doc, (store.root() / record_path(name)).string());
}

std::vector<manifest::RackSpec> load_racks(const Store& store) {
    std::vector<manifest::RackSpec> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(store.racks_dir(), ec)) {
        const auto& p = entry.path();
        if (p.extension() == ".json" && p.filename().string()[0] != '.') {
            auto doc = store.read_record(std::filesystem::path("racks") / p.filename());
            out.push_back(rack_from_json(*doc, p.string()));
        }
    }
    std::sort(out.begin(), out.end(), [](const manifest::RackSpec& a, const manifest::RackSpec& b) {
        return a.name < b.name;
    });
    return out;
}

void save_rack(const Store& store, const manifest::RackSpec& rack) {
    check_rack_name(rack.name);
    store.write_record(record_path(rack.name), to_json(rack));
}

bool remove_rack(const Store& store, const std::string& name) {
    check_rack_name(name);
    return std::filesystem::remove(store.root() / record_path(name));
}

} // namespace wm::state
