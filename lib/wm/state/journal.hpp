#pragma once
// The local journal of deployments: one JSON record per deployment, numbered like the
// releases (v0, v1, ...) per app, environment and stack. The rack servers stay authoritative;
// the journal lets `wm deployments` answer offline and keeps the output of local runs.

#include <wm/state/store.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wm::state {

/// Which series of deployments: journal/<app>/<environment>/<stack>/.
struct JournalKey {
    std::string app;
    std::string environment;
    std::string stack;
};

class Journal {
  public:
    explicit Journal(const Store& store) : m_store(store) {}

    /// Records a new deployment numbered one past the highest recorded (v0 for the first);
    /// sets "version" in the record and returns the number. Callers hold Store::lock().
    int append(const JournalKey& key, nlohmann::json record) const;
    /// Writes (or replaces) deployment `version`, e.g. to update it as the deploy progresses
    /// or to mirror a number the servers assigned.
    void write(const JournalKey& key, int version, nlohmann::json record) const;
    /// Deployment `version`, or nullopt when not recorded.
    std::optional<nlohmann::json> read(const JournalKey& key, int version) const;
    /// Recorded version numbers, ascending (empty when none; creates nothing).
    std::vector<int> versions(const JournalKey& key) const;
    /// Every recorded deployment, ascending by version.
    std::vector<nlohmann::json> list(const JournalKey& key) const;

  private:
    std::filesystem::path file(const JournalKey& key, int version) const;

    const Store& m_store;
};

} // namespace wm::state
