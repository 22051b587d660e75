#include <wm/base/process.hpp>
#include <wm/rack/retention.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace wm::rack {

namespace {

std::string q(const std::string& s) { return shell_quote(s); }

bool succeeded(const Deployment& d) { return d.status == "succeeded"; }

// When a release last began serving: its deploy or its latest re-activation (RFC 3339 UTC
// strings of one format compare as times), the version breaking ties.
std::pair<std::string, int> last_served(const Deployment& d) {
    std::string when = d.finished;
    for (const ActivationRecord& a : d.activations) {
        when = std::max(when, a.when);
    }
    return {when, d.version};
}

} // namespace

std::set<int> retained_versions(const std::vector<Deployment>& records, int keep, int current) {
    std::vector<int> good;
    for (const Deployment& d : records) {
        if (succeeded(d)) {
            good.push_back(d.version);
        }
    }
    std::sort(good.rbegin(), good.rend()); // newest first
    std::set<int> keep_set(good.begin(), good.begin() + std::min<size_t>(good.size(), keep));
    if (current < 0) {
        return keep_set;
    }
    keep_set.insert(current);
    const Deployment* previous = nullptr;
    for (const Deployment& d : records) {
        if (succeeded(d) && d.version != current &&
            (!previous || last_served(d) > last_served(*previous))) {
            previous = &d;
        }
    }
    if (previous) {
        keep_set.insert(previous->version);
    }
    return keep_set;
}

std::string read_deployments_command(const Layout& l, const AppEnv& ae, const std::string& stack) {
    return "cd " + q(l.deployments_dir(ae, stack)) +
           " 2>/dev/null && for f in v*.json; do [ -f \"$f\" ] && cat \"$f\" && printf '\\036'; "
           "done; true";
}

std::vector<Deployment> parse_deployments(const std::string& output) {
    std::vector<Deployment> out;
    size_t start = 0;
    for (size_t end; (end = output.find('\x1e', start)) != std::string::npos; start = end + 1) {
        try {
            out.push_back(
                deployment_from_json(nlohmann::json::parse(output.substr(start, end - start))));
        } catch (const std::exception&) {
            // A record being written right now (or damaged): `deployments show` names it.
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Deployment& a, const Deployment& b) { return a.version < b.version; });
    return out;
}

std::string prune_command(const Layout& l, const AppEnv& ae, const std::string& stack,
                          const std::vector<int>& versions) {
    std::string cmd = "true";
    for (int v : versions) {
        cmd += " && rm -rf " + q(l.release_dir(ae, stack, v)) + " " + q(l.logs_dir()) + "/" +
               q(fmt::format("{}.{}.", ae.flat(), stack)) + "*" + q(fmt::format(".v{}.", v)) + "*";
    }
    return cmd;
}

std::string record_slug_command(const Layout& l, const AppEnv& ae, const std::string& stack,
                                int version, const std::string& sha256) {
    return "printf '%s\\n' " + q(sha256) + " > " + q(l.release_dir(ae, stack, version) + "/slug");
}

std::string prune_slugs_command(const Layout& l, int grace_minutes) {
    return fmt::format(
        "cd {slugs} 2>/dev/null || exit 0\n"
        "used=\" $(cat {apps}/*/*/*/releases/v*/slug 2>/dev/null | tr '\\n' ' ') \"\n"
        "for f in *.tar.zst; do\n"
        "  [ -f \"$f\" ] || continue\n"
        "  s=${{f%.tar.zst}}\n"
        "  case \"$used\" in *\" $s \"*) continue ;; esac\n"
        "  [ -n \"$(find \"$f\" -mmin +{grace})\" ] && rm -f \"$f\" && echo \"$s\"\n"
        "done\n"
        "true\n",
        fmt::arg("slugs", q(l.slugs_dir())), fmt::arg("apps", q(l.apps_dir())),
        fmt::arg("grace", grace_minutes));
}

} // namespace wm::rack
