#pragma once
// The local state directory: what belongs to the user and not to a repository.
//
// Layout ($WM_HOME, default ~/.widemesh; --state-dir overrides):
//
//   racks/                                  registered racks, one record per rack (racks.hpp)
//   known_hosts                             wm's own SSH host keys (OpenSSH format)
//   cache/                                  build caches and cloned buildpacks
//   slugs/                                  built slugs <sha256>.tar.zst and their release.json
//   journal/<app>/<env>/<stack>/v<N>.json   local journal of deployments (journal.hpp)
//   local/                                  root of the embedded local rack (the layout of
//                                           /var/lib/widemesh on a rack server)
//   locks/wm.lock                           serialises concurrent wm writers (flock)
//   credentials/                            0700; provider credentials, each file 0600
//
// Rules: read-only commands never create or modify anything (constructing a Store and every
// read leave the disk alone; only writes create directories); every write is atomic (temp
// file, fsync, rename); every JSON record carries "schema": k_schema_version.

#include <wm/base/fs.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace wm::state {

/// The version of the record format written by this wm ("schema" field of every record).
inline constexpr int k_schema_version = 1;

/// The state directory (the layout above): where each part lives, its lock, and atomic
/// records with a schema version.
class Store {
  public:
    /// A view of the state directory at `root`; creates nothing.
    explicit Store(std::filesystem::path root);

    /// The paths of the layout above (computed, not created).
    const std::filesystem::path& root() const { return m_root; }
    std::filesystem::path racks_dir() const { return m_root / "racks"; }             ///< racks/
    std::filesystem::path known_hosts() const { return m_root / "known_hosts"; }     ///< wm's own
    std::filesystem::path cache_dir() const { return m_root / "cache"; }             ///< cache/
    std::filesystem::path slugs_dir() const { return m_root / "slugs"; }             ///< slugs/
    std::filesystem::path journal_dir() const { return m_root / "journal"; }         ///< journal/
    std::filesystem::path local_rack_root() const { return m_root / "local"; }       ///< local/
    std::filesystem::path locks_dir() const { return m_root / "locks"; }             ///< locks/
    std::filesystem::path credentials_dir() const { return m_root / "credentials"; } ///< 0700

    /// Whether the state directory exists at all (nothing was ever written).
    bool exists() const;

    /// Takes the writers' lock locks/wm.lock (creating it): blocks until held when `wait`,
    /// else throws Error when another wm process holds it. Released on destruction, or when
    /// the holder dies.
    fs::FileLock lock(bool wait = true) const;

    /// Creates `relative` (a directory under the root) with its parents; returns its path.
    std::filesystem::path ensure_dir(const std::filesystem::path& relative) const;

    /// Writes `record` (a JSON object) to `relative` atomically with "schema" set, creating
    /// parent directories.
    void write_record(const std::filesystem::path& relative, nlohmann::json record) const;
    /// Reads a record; nullopt when the file does not exist. Throws Error naming the file when
    /// it is not a JSON object or has a newer schema than this wm understands.
    std::optional<nlohmann::json> read_record(const std::filesystem::path& relative) const;

    /// Writes credentials/<name> (0600, in a 0700 directory) atomically.
    void write_credential(const std::string& name, std::string_view data) const;
    /// Reads credentials/<name>; nullopt when absent.
    std::optional<std::string> read_credential(const std::string& name) const;

  private:
    /// `relative` under the root; throws Error for absolute paths or ".." escapes.
    std::filesystem::path inside(const std::filesystem::path& relative) const;

    std::filesystem::path m_root;
};

} // namespace wm::state
