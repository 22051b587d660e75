#include <wm/base/process.hpp>
#include <wm/rack/reconcile.hpp>
#include <wm/rack/server_commands.hpp>

#include <fmt/format.h>

#include <sstream>

namespace wm::rack {

std::string leftovers_command(const Layout& l, const std::string& server) {
    // Instance names are <app>.<env>.<stack>.<service>.v<N>.<index>; the paths come from the
    // layout with the parts as shell variables.
    AppEnv ae{"$app", "$env"};
    return fmt::format(R"SH(cd {service} 2>/dev/null || exit 0
for d in *.*.*.*.v*.*; do
	[ -d "$d" ] || continue
	r=$d; app=${{r%%.*}}; r=${{r#*.}}; env=${{r%%.*}}; r=${{r#*.}}; stack=${{r%%.*}}; r=${{r#*.*.}}; v=${{r%%.*}}
	[ -e "{lease}" ] && continue
	f="{records}/$v.json"
	[ -f "$f" ] || continue
	if grep -q '"status": "failed"' "$f" || grep -qF {not_here} "$f"; then echo "$d"; fi
done
)SH",
                       fmt::arg("service", shell_quote(l.service_dir())),
                       fmt::arg("lease", l.lock_file(ae)),
                       fmt::arg("records", l.deployments_dir(ae, "$stack")),
                       fmt::arg("not_here", shell_quote("\"" + server + "\": \"not ")));
}

std::vector<std::string> stop_leftovers(transport::Transport& t, const Layout& l,
                                        const std::string& server) {
    transport::RunResult found =
        transport::run_checked(t, "reconcile", leftovers_command(l, server), {});
    std::vector<std::string> names;
    std::istringstream in(found.out);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            names.push_back(line);
        }
    }
    if (!names.empty()) {
        transport::run_checked(t, "reconcile", stop_instances_command(l, names, 0), {});
    }
    return names;
}

} // namespace wm::rack
