#pragma once
// The environment's deploy lease, held on every server of the environment for the length of a
// deploy or rollback. Servers store it with an expiry, so a holder that dies never needs a
// manual unlock; renew() pushes the expiry forward between steps.

#include <wm/ops/env.hpp>
#include <wm/ops/fleet.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace wm::ops {

/// How long a lease lasts without renewal.
inline constexpr std::chrono::minutes k_lease_ttl{10};

/// The lease record for `what` ("deploy production app@abc1234") taken now by `env.identity`.
rack::Lease make_lease(const Env& env, const std::string& what);

/// RAII: acquires on construction, releases (best effort, warnings only) on destruction.
class LeaseHold {
  public:
    /// Takes the lease of `app_env` on every server of `fleet`. When a server refuses (held by
    /// someone else) the servers already taken are released; with `wait` the attempt repeats
    /// until it succeeds or `wait` has passed, otherwise the refusal (naming the holder) is
    /// thrown.
    LeaseHold(Fleet& fleet, Env& env, AppEnv app_env, std::string what,
              std::optional<std::chrono::seconds> wait);
    ~LeaseHold();
    LeaseHold(const LeaseHold&) = delete;
    LeaseHold& operator=(const LeaseHold&) = delete;

    /// Pushes the expiry forward on every server (call between long steps); a non-empty
    /// `what` replaces the lease's description from now on (e.g. once the versions are known,
    /// so `wm deployments show vN` can tell a running deploy).
    void renew(const std::string& what = "");

  private:
    bool try_acquire(bool report_waiting);

    Fleet& m_fleet;
    Env& m_env;
    AppEnv m_app_env;
    std::string m_what;
};

} // namespace wm::ops
