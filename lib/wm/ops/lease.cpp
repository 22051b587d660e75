#include <wm/base/error.hpp>
#include <wm/ops/lease.hpp>

#include <fmt/format.h>

namespace wm::ops {

namespace {
constexpr std::chrono::seconds k_retry_interval{2};
} // namespace

rack::Lease make_lease(const Env& env, const std::string& what) {
    rack::Lease lease;
    lease.holder = env.identity.user + "@" + env.identity.control_host;
    lease.control_host = env.identity.control_host;
    lease.pid = env.identity.pid;
    auto now = env.clock.now();
    lease.started = format_utc(now);
    lease.expires = format_utc(now + k_lease_ttl);
    lease.what = what;
    return lease;
}

LeaseHold::LeaseHold(Fleet& fleet, Env& env, AppEnv app_env, std::string what,
                     std::optional<std::chrono::seconds> wait)
    : m_fleet(fleet), m_env(env), m_app_env(std::move(app_env)), m_what(std::move(what)) {
    auto deadline = env.clock.now() + wait.value_or(std::chrono::seconds(0));
    bool reported = false;
    while (!try_acquire(!wait || env.clock.now() >= deadline)) {
        if (!reported) {
            env.reporter.info(
                fmt::format("waiting for the deploy lease of {}", m_app_env.describe()));
            reported = true;
        }
        throw_if_cancelled(env.cancel);
        env.clock.sleep_for(k_retry_interval);
    }
}

bool LeaseHold::try_acquire(bool last_attempt) {
    rack::Lease lease = make_lease(m_env, m_what);
    std::vector<std::string> names = m_fleet.names();
    // The first server decides between racing deploys: only its winner goes on to the others,
    // so two deploys never each hold a part and both give up.
    std::vector<std::string> errors = m_fleet.each_collect(
        "lease", [&](Server& s) { s.acquire_lease(m_app_env, lease); }, {names.front()});
    if (errors.front().empty()) {
        errors =
            m_fleet.each_collect("lease", [&](Server& s) { s.acquire_lease(m_app_env, lease); });
    }
    std::vector<std::string> taken;
    std::string first_error;
    for (size_t i = 0; i < errors.size(); ++i) {
        if (errors[i].empty()) {
            taken.push_back(names[i]);
        } else if (first_error.empty()) {
            first_error = errors[i];
        }
    }
    if (first_error.empty()) {
        return true;
    }
    if (!taken.empty()) {
        m_fleet.each_collect(
            "lease", [&](Server& s) { s.release_lease(m_app_env); }, taken);
    }
    if (last_attempt) {
        throw Error(first_error).with_hint("wait for it with --wait, or see `wm lock status`");
    }
    return false;
}

void LeaseHold::renew(const std::string& what) {
    if (!what.empty()) {
        m_what = what;
    }
    rack::Lease lease = make_lease(m_env, m_what);
    m_fleet.each("lease", [&](Server& s) { s.acquire_lease(m_app_env, lease); });
}

LeaseHold::~LeaseHold() {
    warn_each(m_env.reporter, "could not release the deploy lease: ",
              m_fleet.each_collect("lease", [&](Server& s) { s.release_lease(m_app_env); }));
}

} // namespace wm::ops
