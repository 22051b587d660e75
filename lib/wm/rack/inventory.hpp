#pragma once
// Which racks exist: the manifest's (always including the embedded `local` rack) merged with
// the racks registered in the state directory. The manifest wins a name clash, with a warning.

#include <wm/base/reporter.hpp>
#include <wm/manifest/load.hpp>
#include <wm/manifest/manifest.hpp>
#include <wm/rack/fanout.hpp>
#include <wm/rack/layout.hpp>
#include <wm/state/racks.hpp>
#include <wm/transport/factory.hpp>
#include <wm/transport/ssh_target.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wm::rack {

/// Parses `--server [user@]host[:port]` ("[::1]:2222" for IPv6). Throws a usage Error.
/// Unset user and port stay unset (empty, 0).
manifest::ServerSpec parse_server(const std::string& text);

/// Load options that add the racks registered in `store` (`wm rack add`) to a manifest.
manifest::LoadOptions registered_racks(const state::Store& store);

/// Loads and validates the manifest at `path` with the registered racks of `store` merged in
/// (the manifest wins a name clash), so environments may name either kind.
manifest::Manifest load_manifest(const std::filesystem::path& path, const state::Store& store);

/// The embedded default rack: this machine, provider `local`.
manifest::RackSpec local_rack();

/// Every rack: `manifest`'s (or only the local rack when null) then the registered ones not
/// shadowed by a manifest rack of the same name (each shadowed one is warned about).
std::vector<manifest::RackSpec> all_racks(const manifest::Manifest* manifest,
                                          const state::Store& store, Reporter& reporter);

/// The rack `name` of `racks`; throws Error listing the known names otherwise.
const manifest::RackSpec& find_rack(const std::vector<manifest::RackSpec>& racks,
                                    const std::string& name);

/// Display name of a server: its name, else its address.
std::string server_name(const manifest::ServerSpec& server);

/// The SSH connection target of a server: the one conversion from the manifest's shape to the
/// transport's. An unset user/port stays unset, so ~/.ssh/config User/Port entries apply; the
/// server's jump host, else the rack's.
transport::SshTarget to_ssh_target(const manifest::RackSpec& rack,
                                   const manifest::ServerSpec& server);

/// The layout of a rack: /var/lib/widemesh on servers, <state_dir>/local on the local rack.
Layout layout_of(const manifest::RackSpec& rack, const state::Store& store);

/// Names of a rack's servers, in order ("local" for the local rack).
std::vector<std::string> server_names(const manifest::RackSpec& rack);

/// Connects to server `index` of `rack`: SSH for static racks, this machine for `local`.
std::unique_ptr<transport::Transport> connect_server(const manifest::RackSpec& rack, size_t index,
                                                     const transport::SshOptions& ssh,
                                                     Reporter& reporter);

/// Connects to every server of `rack` in parallel and runs `fn` on each connection; connect
/// failures are that server's outcome like any other Error.
template <typename T>
std::vector<Outcome<T>> on_each_server(const manifest::RackSpec& rack,
                                       const transport::SshOptions& ssh, Reporter& reporter,
                                       const std::function<T(transport::Transport&)>& fn,
                                       const FanOutOptions& options = {}) {
    std::function<T(size_t)> task = [&](size_t i) {
        auto t = connect_server(rack, i, ssh, reporter);
        return fn(*t);
    };
    return fan_out<T>(server_names(rack), task, reporter, options);
}

} // namespace wm::rack
