#pragma once
// Where things live on one rack server. The same layout is rooted at /var/lib/widemesh on real
// servers and at <state_dir>/local on the embedded local rack.

#include <string>

namespace wm::rack {

/// Paths of the server layout (design.md §3). Pure: string building only.
struct Layout {
    std::string root = "/var/lib/widemesh";

    std::string slugs_dir() const { return root + "/slugs"; }
    std::string slug(const std::string& sha256) const { return slugs_dir() + "/" + sha256 + ".tar.zst"; }
    std::string stack_dir(const std::string& env, const std::string& stack) const {
        return root + "/envs/" + env + "/" + stack;
    }
    std::string releases_dir(const std::string& env, const std::string& stack) const {
        return stack_dir(env, stack) + "/releases";
    }
    std::string release_dir(const std::string& env, const std::string& stack, int version) const {
        return releases_dir(env, stack) + "/v" + std::to_string(version);
    }
    std::string config_dir(const std::string& env, const std::string& stack) const {
        return stack_dir(env, stack) + "/config";
    }
    std::string deployments_dir(const std::string& env, const std::string& stack) const {
        return stack_dir(env, stack) + "/deployments";
    }
    std::string service_dir() const { return root + "/service"; }
    std::string proxy_dir() const { return root + "/proxy"; }
    std::string locks_dir() const { return root + "/locks"; }
    std::string lock_file(const std::string& env) const { return locks_dir() + "/" + env + ".lock"; }
};

} // namespace wm::rack
