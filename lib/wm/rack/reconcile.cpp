#include <wm/base/process.hpp>
#include <wm/base/text.hpp>
#include <wm/rack/reconcile.hpp>

#include <fmt/format.h>

#include <sstream>

namespace wm::rack {

std::string survey_command(const Layout& l, const std::string& server) {
    // Instance names are <app>.<env>.<stack>.<service>.v<N>.<index>; the record's path comes
    // from the layout with the parts as shell variables.
    AppEnv ae{"$app", "$env"};
    return fmt::format(R"SH(if cd {service} 2>/dev/null; then
for d in *.*.*.*.v*.*; do
	[ -d "$d" ] || continue
	r=$d; app=${{r%%.*}}; r=${{r#*.}}; env=${{r%%.*}}; r=${{r#*.}}; stack=${{r%%.*}}; r=${{r#*.*.}}; v=${{r%%.*}}
	f="{records}/$v.json"
	if [ ! -f "$f" ]; then s=none
	elif grep -q '"status": "failed"' "$f" || grep -qF {not_here} "$f"; then s=gone
	else s=ok; fi
	printf 'inst\t%s\t%s\n' "$d" "$s"
done
fi
if cd {locks} 2>/dev/null; then
for f in *.lock; do
	[ -f "$f" ] || continue
	printf 'lease\t%s\t' "${{f%.lock}}"; tr -d '\n' < "$f"; echo
done
fi
true
)SH",
                       fmt::arg("service", shell_quote(l.service_dir())),
                       fmt::arg("locks", shell_quote(l.locks_dir())),
                       fmt::arg("records", l.deployments_dir(ae, "$stack")),
                       fmt::arg("not_here", shell_quote("\"" + server + "\": \"not ")));
}

namespace {

// "shop.prod.app.web.v3.1" -> the instance's app env, stack and version; false otherwise.
bool parse_instance_name(const std::string& name, Sighting& s) {
    std::vector<std::string> p = split(name, '.');
    if (p.size() != 6 || p[4].size() < 2 || p[4][0] != 'v' ||
        p[4].find_first_not_of("0123456789", 1) != std::string::npos) {
        return false;
    }
    s.name = name;
    s.app_env = {p[0], p[1]};
    s.stack = p[2];
    s.version = std::stoi(p[4].substr(1));
    return true;
}

} // namespace

Survey parse_survey(const std::string& out) {
    Survey survey;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> f = split(line, '\t');
        Sighting s;
        if (f.size() == 3 && f[0] == "inst" && parse_instance_name(f[1], s)) {
            s.verdict = f[2];
            survey.instances.push_back(s);
        } else if (f.size() == 3 && f[0] == "lease" && f[1].find('.') != std::string::npos) {
            survey.leases[{f[1].substr(0, f[1].find('.')), f[1].substr(f[1].find('.') + 1)}] = f[2];
        }
    }
    return survey;
}

namespace {

using Key = std::pair<AppEnv, std::string>; // app env, stack

std::map<Key, std::vector<const Sighting*>> by_stack(const Survey& survey,
                                                     const std::set<AppEnv>& leased) {
    std::map<Key, std::vector<const Sighting*>> out;
    for (const auto& s : survey.instances) {
        if (!leased.count(s.app_env)) {
            out[{s.app_env, s.stack}].push_back(&s);
        }
    }
    return out;
}

// One stack's leftovers, from the records alone (the proxy routes to none of its instances).
void by_records(const std::vector<const Sighting*>& stack, std::vector<std::string>& out) {
    bool owned = false;
    for (const Sighting* s : stack) {
        owned = owned || s->verdict == "ok";
    }
    for (const Sighting* s : stack) {
        if (s->verdict == "gone" || (s->verdict == "none" && owned)) {
            out.push_back(s->name);
        }
    }
}

} // namespace

bool needs_routes(const Survey& survey, const std::set<AppEnv>& leased) {
    for (const auto& [key, stack] : by_stack(survey, leased)) {
        for (const Sighting* s : stack) {
            if (s->verdict == "none" || s->version != stack.front()->version) {
                return true;
            }
        }
    }
    return false;
}

std::vector<std::string> leftovers(const Survey& survey, const std::set<AppEnv>& leased,
                                   const std::set<std::string>& routed) {
    std::vector<std::string> out;
    for (const auto& [key, stack] : by_stack(survey, leased)) {
        std::set<int> served;
        for (const Sighting* s : stack) {
            if (routed.count(s->name)) {
                served.insert(s->version);
            }
        }
        if (served.empty()) {
            by_records(stack, out);
            continue;
        }
        for (const Sighting* s : stack) {
            if (!served.count(s->version)) {
                out.push_back(s->name);
            }
        }
    }
    return out;
}

} // namespace wm::rack
