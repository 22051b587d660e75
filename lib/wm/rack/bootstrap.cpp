#include <wm/base/error.hpp>
#include <wm/base/process.hpp>
#include <wm/rack/bootstrap.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/rack/local_daemons.hpp>
#include <wm/rack/server_commands.hpp>

#include <fmt/format.h>

#include <cctype>
#include <sstream>

namespace wm::rack {

namespace {

constexpr const char* k_runsvdir_log =
    "log: ................................................................";

/// Debian policy: lower case letters, digits, + - . ; at least two characters, alphanumeric first.
void check_package_name(const std::string& name) {
    bool ok = name.size() >= 2 && (std::islower(static_cast<unsigned char>(name[0])) ||
                                   std::isdigit(static_cast<unsigned char>(name[0])));
    for (char c : name) {
        ok =
            ok && (std::islower(static_cast<unsigned char>(c)) ||
                   std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.');
    }
    if (!ok) {
        fail("'{}' is not a Debian package name", name);
    }
}

/// Appends to $missing each of `packages` that dpkg does not have installed.
std::string run_packages_check(const std::vector<std::string>& packages) {
    if (packages.empty()) {
        return "";
    }
    std::string list;
    for (const std::string& p : packages) {
        check_package_name(p);
        list += (list.empty() ? "" : " ") + p;
    }
    return fmt::format(R"SH(for p in {}; do
	dpkg-query -W -f='${{Status}}' "$p" 2>/dev/null | grep -q ' ok installed$' || missing="$missing $p"
done
)SH",
                       list);
}

} // namespace

std::string packages_script(const std::vector<std::string>& run_packages, bool install) {
    std::string base; // what deploy's preflight checks too
    for (const Need& n : base_needs()) {
        base += (base.empty() ? "" : " ") + n.package + ":" + n.command;
    }
    std::string head = fmt::format(R"SH(missing=""
for p in {}; do
	command -v "${{p#*:}}" >/dev/null 2>&1 || missing="$missing ${{p%%:*}}"
done
)SH",
                                   base) +
                       run_packages_check(run_packages);
    if (!install) {
        return head +
               R"SH([ -z "$missing" ] || echo "warning: missing:$missing (install them: apt-get install$missing)"
)SH";
    }
    return head + R"SH(if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || fail "missing:$missing, and not root to install them"
	command -v apt-get >/dev/null 2>&1 || fail "missing:$missing, and no apt-get to install them"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null 2>&1
	log=$(apt-get install -y -qq --no-install-recommends $missing 2>&1) || fail "apt-get install$missing failed: $(printf '%s' "$log" | tail -n 5)"
	changed "installed$missing"
	# Debian's caddy package enables its own caddy.service on :80, which would block our proxy.
	case " $missing " in *" caddy "*) [ -d /run/systemd/system ] && systemctl disable --now caddy >/dev/null 2>&1 || true ;; esac
fi
)SH";
}

namespace {

std::string layout_part() {
    return fmt::format(R"SH(for d in slugs apps service proxy locks logs; do
	[ -d "$root/$d" ] || {{ mkdir -p "$root/$d" && changed "created $root/$d"; }} || fail "cannot create $root/$d"
done
if [ "$(cat "$root/VERSION" 2>/dev/null)" != {version} ]; then
	printf '%s\n' {version} > "$root/VERSION.tmp" && mv -f "$root/VERSION.tmp" "$root/VERSION" || fail "cannot write $root/VERSION"
	changed "wrote $root/VERSION (layout {version})"
fi
)SH",
                       fmt::arg("version", k_layout_version));
}

std::string systemd_part(const Layout& l) {
    std::string unit = fmt::format("[Unit]\nDescription=widemesh runit supervisor\nAfter=network."
                                   "target\n\n[Service]\nExecStart=/usr/bin/runsvdir -P {} '{}'\n"
                                   "KillSignal=SIGHUP\nRestart=always\n\n[Install]\nWantedBy=multi-"
                                   "user.target",
                                   l.service_dir(), k_runsvdir_log);
    return fmt::format(R"SH(	unit=/etc/systemd/system/widemesh.service
	want={unit}
	if [ "$(cat $unit 2>/dev/null)" != "$want" ]; then
		printf '%s\n' "$want" > $unit.tmp && mv -f $unit.tmp $unit && systemctl daemon-reload || fail "cannot write $unit"
		changed "wrote $unit"
	fi
	systemctl is-enabled --quiet widemesh || {{ systemctl enable --quiet widemesh && changed "enabled widemesh.service"; }}
	systemctl is-active --quiet widemesh || {{ systemctl start widemesh && changed "started widemesh.service"; }} || fail "cannot start widemesh.service"
)SH",
                       fmt::arg("unit", shell_quote(unit)));
}

std::string runit_part(const Layout& l) {
    std::string run = fmt::format("#!/bin/sh\nexec 2>&1\nexec runsvdir -P {} '{}'",
                                  shell_quote(l.service_dir()), k_runsvdir_log);
    return fmt::format(R"SH(	run={run}
	mkdir -p /etc/sv/widemesh
	if [ "$(cat /etc/sv/widemesh/run 2>/dev/null)" != "$run" ]; then
		printf '%s\n' "$run" > /etc/sv/widemesh/run.tmp && chmod 755 /etc/sv/widemesh/run.tmp && mv -f /etc/sv/widemesh/run.tmp /etc/sv/widemesh/run || fail "cannot write /etc/sv/widemesh/run"
		changed "wrote /etc/sv/widemesh/run"
	fi
	[ -L /etc/service/widemesh ] || {{ ln -s /etc/sv/widemesh /etc/service/widemesh && changed "linked /etc/service/widemesh"; }}
	i=0; while [ ! -e /etc/service/widemesh/supervise/ok ] && [ $i -lt 70 ]; do sleep 0.1; i=$((i+1)); done
	sv status /etc/service/widemesh 2>/dev/null | grep -q '^run:' || {{ sv -w 7 start /etc/service/widemesh >/dev/null && changed "started runsvdir (runit service widemesh)"; }} || fail "runit did not start /etc/service/widemesh"
)SH",
                       fmt::arg("run", shell_quote(run)));
}

std::string detached_part(const Layout& l) {
    return fmt::format(R"SH(	r=$(sh -c {detached}) || fail "cannot start runsvdir: $r"
	case "$r" in started*) changed "started runsvdir (detached, pid ${{r#started }})";; esac
)SH",
                       fmt::arg("detached", shell_quote(ensure_runsvdir_command(l))));
}

std::string supervise_part(const Layout& l, bool system) {
    if (!system) {
        return "if true; then\n" + detached_part(l) + "fi\n";
    }
    // What runs is told by the process's executable and its exact arguments, never by a
    // substring of a command line: this script's own command line names runsvdir too.
    return fmt::format(R"SH(system_runit() {{ # a runsvdir (by executable) over /etc/service runs
	[ -d /etc/service ] || return 1
	for p in /proc/[0-9]*; do
		case "$(readlink "$p/exe" 2>/dev/null)" in */runsvdir) ;; *) continue;; esac
		tr '\0' '\n' < "$p/cmdline" 2>/dev/null | grep -qx -e /etc/service -e /etc/service/ && return 0
	done
	return 1
}}
if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && [ "$(id -u)" = 0 ]; then
{systemd}elif [ "$(id -u)" = 0 ] && system_runit; then
{runit}else
{detached}fi
)SH",
                       fmt::arg("systemd", systemd_part(l)), fmt::arg("runit", runit_part(l)),
                       fmt::arg("detached", detached_part(l)));
}

} // namespace

std::string bootstrap_script(const BootstrapTarget& target) {
    std::string script = fmt::format(R"SH(set -u
root={root}
changed() {{ echo "changed: $*"; }}
fail() {{ echo "error: $*" >&2; exit 1; }}
)SH",
                                     fmt::arg("root", shell_quote(target.layout.root)));
    script += packages_script(target.run_packages, target.install_packages);
    script += layout_part();
    if (target.supervise) {
        script += supervise_part(target.layout, target.system_supervisor);
    }
    return script;
}

std::vector<std::string> parse_changes(const std::string& output) {
    std::vector<std::string> out;
    std::istringstream in(output);
    std::string line;
    const std::string prefix = "changed: ";
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) {
            out.push_back(line.substr(prefix.size()));
        }
    }
    return out;
}

std::vector<std::string> bootstrap_server(transport::Transport& t, const BootstrapTarget& target,
                                          Reporter& reporter) {
    transport::RunOptions o;
    o.timeout = std::chrono::minutes(10); // apt-get on a slow mirror
    auto r = transport::run_checked(t, "bootstrap", bootstrap_script(target), o);
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("warning: ", 0) == 0) {
            reporter.warn(line.substr(9), t.name());
        }
    }
    return parse_changes(r.out);
}

std::vector<Outcome<std::vector<std::string>>>
bootstrap_rack(const manifest::RackSpec& rack, const Layout& layout,
               const std::vector<std::string>& run_packages, const transport::SshOptions& ssh,
               Reporter& reporter, const FanOutOptions& options) {
    bool local = rack.is_local();
    BootstrapTarget target{layout, !local, true, !local, run_packages};
    if (!local) {
        target.run_packages.push_back(network_need().package);
    }
    return on_each_server<std::vector<std::string>>(
        rack, ssh, reporter,
        [&](transport::Transport& t) { return bootstrap_server(t, target, reporter); }, options);
}

} // namespace wm::rack
