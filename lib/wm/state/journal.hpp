#pragma once
// The local journal of deployments: one JSON record per deployment, numbered like the
// releases (v0, v1, ...) per app, environment and stack. The rack servers stay authoritative;
// the journal lets `wm deployments` answer offline and keeps the output of local runs.

#include <wm/deployment/deployment.hpp>
#include <wm/state/store.hpp>

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

/// The series a deployment belongs to.
inline JournalKey key_of(const Deployment& d) { return {d.app, d.environment, d.stack}; }

/// The deployment records kept under the store's journal/ (read and written atomically).
class Journal {
  public:
    /// A journal in `store`, which must outlive it; creates nothing.
    explicit Journal(const Store& store) : m_store(store) {}

    /// Records a new deployment numbered one past the highest recorded in its series (v0 for
    /// the first) with its output `log`; returns the number. Callers hold Store::lock().
    int append(Deployment d, const std::string& log = "") const;
    /// Writes (or replaces) deployment `d.version` with its output `log`, e.g. to update it as
    /// the deploy progresses or to mirror a number the servers assigned.
    void write(const Deployment& d, const std::string& log = "") const;
    /// Deployment `version` (its output into `log` if given), or nullopt when not recorded.
    std::optional<Deployment> read(const JournalKey& key, int version,
                                   std::string* log = nullptr) const;
    /// Recorded version numbers, ascending (empty when none; creates nothing).
    std::vector<int> versions(const JournalKey& key) const;
    /// Every recorded deployment, ascending by version.
    std::vector<Deployment> list(const JournalKey& key) const;

  private:
    std::filesystem::path file(const JournalKey& key, int version) const;

    const Store& m_store;
};

} // namespace wm::state
