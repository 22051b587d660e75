#include <wm/base/error.hpp>
#include <wm/rack/inventory.hpp>

#include <algorithm>

namespace wm::rack {

manifest::ServerSpec parse_server(const std::string& text) {
    transport::SshTarget t = transport::parse_ssh_address(text, "server");
    manifest::ServerSpec s;
    s.address = t.address;
    s.user = t.user;
    s.port = t.port;
    return s;
}

manifest::RackSpec local_rack() {
    manifest::RackSpec r;
    r.name = manifest::k_local_rack;
    r.provider = manifest::Provider::local;
    return r;
}

manifest::LoadOptions registered_racks(const state::Store& store) {
    manifest::LoadOptions options;
    options.registered_racks = state::load_racks(store);
    return options;
}

manifest::Manifest load_manifest(const std::filesystem::path& path, const state::Store& store) {
    return manifest::load_file(path, registered_racks(store));
}

std::vector<manifest::RackSpec> all_racks(const manifest::Manifest* manifest,
                                          const state::Store& store, Reporter& reporter) {
    std::vector<manifest::RackSpec> racks;
    if (manifest) {
        // Registered racks a manifest was loaded with come back from the state dir below.
        std::copy_if(manifest->racks.begin(), manifest->racks.end(), std::back_inserter(racks),
                     [](const auto& r) { return !r.registered; });
    }
    if (std::none_of(racks.begin(), racks.end(),
                     [](const auto& r) { return r.name == manifest::k_local_rack; })) {
        racks.insert(racks.begin(), local_rack());
    }
    for (const auto& record : state::load_racks(store)) {
        bool shadowed = std::any_of(racks.begin(), racks.end(),
                                    [&](const auto& r) { return r.name == record.name; });
        if (shadowed) {
            reporter.warn(fmt::format("registered rack {} is shadowed by the manifest's rack of "
                                      "the same name; using the manifest's",
                                      record.name));
        } else {
            racks.push_back(record);
        }
    }
    return racks;
}

const manifest::RackSpec& find_rack(const std::vector<manifest::RackSpec>& racks,
                                    const std::string& name) {
    for (const auto& r : racks) {
        if (r.name == name) {
            return r;
        }
    }
    std::vector<std::string> names;
    for (const auto& r : racks) {
        names.push_back(r.name);
    }
    throw Error(fmt::format("unknown rack {} (known: {})", name, fmt::join(names, ", ")))
        .with_hint("register one with `wm rack add NAME --server HOST`");
}

std::string server_name(const manifest::ServerSpec& server) {
    return server.name.empty() ? server.address : server.name;
}

transport::SshTarget to_ssh_target(const manifest::RackSpec& rack,
                                   const manifest::ServerSpec& server) {
    return transport::SshTarget{server_name(server), server.address,
                                server.user,         server.port,
                                server.key,          server.jump.empty() ? rack.jump : server.jump};
}

Layout layout_of(const manifest::RackSpec& rack, const state::Store& store) {
    Layout l;
    if (rack.is_local()) {
        l.root = store.local_rack_root().string();
    }
    return l;
}

std::vector<std::string> server_names(const manifest::RackSpec& rack) {
    if (rack.is_local()) {
        return {std::string(manifest::k_local_rack)};
    }
    std::vector<std::string> names;
    for (const auto& s : rack.servers) {
        names.push_back(server_name(s));
    }
    return names;
}

std::unique_ptr<transport::Transport> connect_server(const manifest::RackSpec& rack, size_t index,
                                                     const transport::SshOptions& ssh,
                                                     Reporter& reporter) {
    if (rack.is_local()) {
        return transport::connect_local(std::string(manifest::k_local_rack));
    }
    return transport::connect(to_ssh_target(rack, rack.servers.at(index)), ssh, reporter);
}

} // namespace wm::rack
