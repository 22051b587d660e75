#pragma once
// Where things live on one rack server. The same layout is rooted at /var/lib/widemesh on real
// servers and at <state_dir>/local on the embedded local rack. Everything of an app's
// environment is keyed by its AppEnv: nested directories under apps/, flat names elsewhere.

#include <wm/deployment/app_env.hpp>

#include <string>

namespace wm::rack {

/// Paths of the server layout (design.md §3). Pure: string building only.
struct Layout {
    std::string root = "/var/lib/widemesh";

    std::string slugs_dir() const { return root + "/slugs"; }
    std::string slug(const std::string& sha256) const {
        return slugs_dir() + "/" + sha256 + ".tar.zst";
    }
    /// apps/: one directory per app, one per environment below it.
    std::string apps_dir() const { return root + "/apps"; }
    /// apps/<app>/<env>: everything of one app's environment at rest (releases, config,
    /// records): root and the environment's tenant group only (0750).
    std::string app_env_dir(const AppEnv& ae) const { return apps_dir() + "/" + ae.path(); }
    std::string stack_dir(const AppEnv& ae, const std::string& stack) const {
        return app_env_dir(ae) + "/" + stack;
    }
    std::string releases_dir(const AppEnv& ae, const std::string& stack) const {
        return stack_dir(ae, stack) + "/releases";
    }
    std::string release_dir(const AppEnv& ae, const std::string& stack, int version) const {
        return releases_dir(ae, stack) + "/v" + std::to_string(version);
    }
    /// The unpacked slug, read-only at /app in every instance of that release.
    std::string release_app_dir(const AppEnv& ae, const std::string& stack, int version) const {
        return release_dir(ae, stack, version) + "/app";
    }
    /// The release's config as a 0600 envdir (so a rollback restores that release's config).
    std::string release_env_dir(const AppEnv& ae, const std::string& stack, int version) const {
        return release_dir(ae, stack, version) + "/env";
    }
    std::string config_dir(const AppEnv& ae, const std::string& stack) const {
        return stack_dir(ae, stack) + "/config";
    }
    /// The server-side config store set with `wm config` (one 0600 file per variable, the raw
    /// value): the whole app env's (`stack` empty: apps/<app>/<env>/.config, a name no stack
    /// can have) or one stack's (config/ beside its releases). Root only (0700).
    std::string config_store_dir(const AppEnv& ae, const std::string& stack) const {
        return stack.empty() ? app_env_dir(ae) + "/.config" : config_dir(ae, stack);
    }
    /// Instance counts set with `wm scale` for one stack (JSON, see ops/scale.hpp).
    std::string scale_file(const AppEnv& ae, const std::string& stack) const {
        return stack_dir(ae, stack) + "/scale.json";
    }
    std::string deployments_dir(const AppEnv& ae, const std::string& stack) const {
        return stack_dir(ae, stack) + "/deployments";
    }
    /// runsvdir watches this directory; one subdirectory per instance plus `proxy`.
    std::string service_dir() const { return root + "/service"; }
    /// The runit service dir of one instance (or of "proxy").
    std::string instance_dir(const std::string& name) const { return service_dir() + "/" + name; }
    /// svlogd's directory of one instance: `current` holds the newest lines.
    std::string log_dir(const std::string& name) const { return root + "/logs/" + name; }
    std::string logs_dir() const { return root + "/logs"; }
    /// logs/<app>.<env>/: the app env's event log (deploy steps, release output, one-off runs);
    /// never an instance's name, which has more parts.
    std::string event_log_dir(const AppEnv& ae) const { return logs_dir() + "/" + ae.flat(); }
    std::string runsvdir_pid() const { return root + "/runsvdir.pid"; }
    std::string proxy_dir() const { return root + "/proxy"; }
    std::string proxy_routes_dir() const { return proxy_dir() + "/routes"; }
    /// proxy/routes/<app>.<env>.json: the stored routes of one app's environment.
    std::string route_file(const AppEnv& ae) const {
        return proxy_routes_dir() + "/" + ae.flat() + ".json";
    }
    std::string caddyfile() const { return proxy_dir() + "/Caddyfile"; }
    std::string admin_socket() const { return proxy_dir() + "/admin.sock"; }
    std::string locks_dir() const { return root + "/locks"; }
    /// The seccomp program (BPF) of every sandbox, written at prepare time for the server's
    /// architecture.
    std::string seccomp_filter() const { return root + "/sandbox/seccomp.bpf"; }
    /// Tenants: `uids` holds one "<uid> <key>" line per tenant; <key>/etc its generated /etc.
    std::string tenants_dir() const { return root + "/tenants"; }
    std::string tenant_etc_dir(const std::string& key) const {
        return tenants_dir() + "/" + key + "/etc";
    }
    /// The script that brings the tenant's network namespace up (rack::netns_setup_command),
    /// kept for the instances' run scripts: /run/netns does not survive a reboot.
    std::string tenant_network_script(const std::string& key) const {
        return tenants_dir() + "/" + key + "/network.sh";
    }
    /// build/: what a builder keeps (root's only, 0700): buildpacks by content hash, each app
    /// env's dependency caches, the work dirs of running builds, records of finished builds and
    /// the one-time rsync daemons that hand slugs to the other servers.
    std::string build_dir() const { return root + "/build"; }
    /// build/buildpacks/<sha256 of the buildpack's tar>: uploaded once, shared by every app.
    std::string buildpack_dir(const std::string& hash) const {
        return build_dir() + "/buildpacks/" + hash;
    }
    /// build/cache/<app>.<env>/<stack>: the stack's dependency caches (one per buildpack below).
    std::string build_cache_dir(const AppEnv& ae, const std::string& stack) const {
        return build_dir() + "/cache/" + ae.flat() + "/" + stack;
    }
    /// build/work/<id>: app/ (the source, then the built tree) and env/ (ENV_DIR) of one build.
    std::string build_work_dir(const std::string& id) const { return build_dir() + "/work/" + id; }
    /// build/records/<app>.<env>/<stack>/<key>.json: a finished build (slug + bin/release output).
    std::string build_record(const AppEnv& ae, const std::string& stack,
                             const std::string& key) const {
        return build_dir() + "/records/" + ae.flat() + "/" + stack + "/" + key + ".json";
    }
    /// build/serve/<id>: config, secret and pid of one slug offer (rsync daemon).
    std::string slug_offer_dir(const std::string& id) const { return build_dir() + "/serve/" + id; }
    /// locks/<app>.<env>.lock: the deploy lease of one app's environment.
    std::string lock_file(const AppEnv& ae) const {
        return locks_dir() + "/" + ae.flat() + ".lock";
    }
};

} // namespace wm::rack
