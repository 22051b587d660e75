// ServerOps: what every connection cleans up first (rack/reconcile.hpp).
#include <wm/base/error.hpp>
#include <wm/rack/reconcile.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_mutex.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/runtime/commands.hpp>

#include <fmt/format.h>

#include <unistd.h>

namespace wm::rack {

namespace {

bool same_lease(const std::optional<Lease>& a, const Lease& b) {
    return a && a->holder == b.holder && a->pid == b.pid && a->started == b.started;
}

} // namespace

std::string ServerOps::release_if_stale(const AppEnv& ae, const std::string& seen) {
    Lease old;
    try {
        old = lease_from_json(seen, m_layout.lock_file(ae));
    } catch (const Error&) {
        return ""; // a half-written lease belongs to a deploy taking it now
    }
    Lease mine{"", m_options.control_host, static_cast<int>(::getpid()), "", "", ""};
    LeaseVerdict verdict = judge_lease(old, mine, now(), m_options.local_pid_alive);
    if (verdict != LeaseVerdict::expired && verdict != LeaseVerdict::dead_holder) {
        return "";
    }
    // Under the lease's mutex, and only if it is still the one judged: a deploy may have taken
    // it over meanwhile.
    std::string file = m_layout.lock_file(ae);
    ServerMutex mutex(m_transport, file + ".d", "reconcile");
    if (!same_lease(read_lease(ae), old)) {
        return "";
    }
    run("reconcile", remove_lease_command(m_layout, ae));
    return fmt::format("released the deploy lease of {} ({}): {}", ae.describe(),
                       describe_lease(old),
                       verdict == LeaseVerdict::expired ? "it expired" : "that wm no longer runs");
}

ServerOps::Reconciled ServerOps::reconcile(const std::string& server) {
    // 1. One round trip: every instance with its record's verdict, and every deploy lease.
    Survey survey = parse_survey(run("reconcile", survey_command(m_layout, server)).out);
    // 2. Stale leases go; a live one keeps its app env out of reach.
    Reconciled done;
    std::set<AppEnv> leased;
    for (const auto& [ae, text] : survey.leases) {
        std::string released = release_if_stale(ae, text);
        if (released.empty()) {
            leased.insert(ae);
        } else {
            done.released.push_back(released);
        }
    }
    // 3. Where versions disagree, the proxy's routes say which one serves.
    std::set<std::string> routed;
    if (needs_routes(survey, leased)) {
        for (const Instance& i : list_instances()) {
            if (i.routed) {
                routed.insert(i.name);
            }
        }
    }
    // 4. Stop the rest (no drain: no route leads to them).
    done.stopped = leftovers(survey, leased, routed);
    if (!done.stopped.empty()) {
        run("reconcile", stop_instances_command(m_layout, done.stopped, 0));
    }
    return done;
}

} // namespace wm::rack
