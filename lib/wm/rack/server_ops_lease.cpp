// ServerOps: the environment's deploy lease (read, decide and write under a mkdir mutex).
#include <wm/base/error.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/runtime/commands.hpp>

namespace wm::rack {

std::optional<Lease> ServerOps::read_lease(const AppEnv& ae) {
    std::string file = m_layout.lock_file(ae);
    auto r = m_transport.run(cat_command(file));
    if (!r.ok() || r.out.empty()) {
        return std::nullopt;
    }
    return at_step(server(), "", [&] { return lease_from_json(r.out, file); });
}

void ServerOps::acquire_lease(const AppEnv& ae, const Lease& lease) {
    const std::string step = "deploy lease";
    std::string file = m_layout.lock_file(ae);
    run(step, make_dirs_command({m_layout.locks_dir()}));
    run(step, runtime::mutex_acquire_command(file + ".d", 45));
    try {
        std::optional<Lease> current = read_lease(ae);
        LeaseVerdict v = judge_lease(current, lease, now(), m_options.local_pid_alive);
        if (v == LeaseVerdict::held) {
            fail_step(step, lease_held_message(ae, *current));
        }
        if (v == LeaseVerdict::expired || v == LeaseVerdict::dead_holder) {
            m_reporter.warn(stale_lease_message(ae, *current), server());
        }
        Lease mine = lease;
        if (v == LeaseVerdict::ours && !current->started.empty()) {
            mine.started = current->started;
        }
        if (mine.started.empty()) {
            mine.started = format_utc(now());
        }
        mine.expires = format_utc(now() + m_options.lease_ttl);
        m_transport.write_file(file, to_json(mine).dump(2) + "\n", 0644);
    } catch (...) {
        m_transport.run(runtime::mutex_release_command(file + ".d"));
        throw;
    }
    m_transport.run(runtime::mutex_release_command(file + ".d"));
}

void ServerOps::release_lease(const AppEnv& ae) {
    run("release lease", remove_lease_command(m_layout, ae));
}

} // namespace wm::rack
