#pragma once
// One app's environment: what everything on a rack server is keyed by (paths, instance and
// service names, leases, deployment records, proxy routes), so several apps with stacks of the
// same name share a server. The one place the pair turns into path segments and names.

#include <compare>
#include <string>

namespace wm {

/// An app and one of its environments. Both are DNS labels (lowercase letters, digits and
/// dashes; the manifest refuses anything else), so '/' and '.' never occur in either.
struct AppEnv {
    std::string app;
    std::string env;

    /// "<app>/<env>": directory segments under a layout root.
    std::string path() const { return app + "/" + env; }
    /// "<app>.<env>": the prefix of flat names (instance names, route and lease files). '.' is
    /// not a name character, so app "a-b" env "c" and app "a" env "b-c" never collide here.
    std::string flat() const { return app + "." + env; }
    /// For messages: "environment 'production' of app 'shop'".
    std::string describe() const { return "environment '" + env + "' of app '" + app + "'"; }

    auto operator<=>(const AppEnv&) const = default;
};

/// The platform alias "<app>-<env>.<alias_domain>" (the original product's form, e.g.
/// "example-app-staging.widemesh.dev"); "" when `alias_domain` is empty. Two pairs can share
/// one (app "a-b" env "c", app "a" env "b-c"): deploy refuses the second on a server.
inline std::string alias_host(const AppEnv& ae, const std::string& alias_domain) {
    return alias_domain.empty() ? "" : ae.app + "-" + ae.env + "." + alias_domain;
}

} // namespace wm
