#include <wm/base/error.hpp>
#include <wm/base/process.hpp>
#include <wm/runtime/commands.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace wm::runtime {

namespace {

/// Shared by both checks: restarts of the instance in service dir $1 (its run script appends
/// one byte to ./starts per start), and the ports the processes of that instance listen on
/// (the run script's pid and its descendants, matched in `ss -p` run in network namespace $2
/// when given).
const char* k_instance_probes = R"SH(restarts() {
	n=0
	[ -f "$1/starts" ] && n=$(($(wc -c < "$1/starts") - 1))
	echo "$n"
}
descendants() { for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
ports_of() {
	p=$(cat "$1/supervise/pid" 2>/dev/null) || return 0
	all=" $p $(descendants "$p" | tr '\n' ' ') "
	${2:+nsenter --net="$2"} ss -ltnpH 2>/dev/null | while read -r _ _ _ local _ users; do
		for q in $(echo "$users" | grep -o 'pid=[0-9]*' | cut -d= -f2); do
			case "$all" in *" $q "*) echo "${local##*:}";; esac
		done
	done | sort -un | tr '\n' ' '
}
)SH";

/// Each target's loop runs until success, a crash loop, or the shared deadline; $healthy is
/// the case pattern of the accepted status codes (curl prints 000 when nothing answered). It
/// polls after 50 ms at first, doubling up to 0.5 s: an app that boots in 100 ms is seen then,
/// not half a second later.
const char* k_web_check = R"SH(check() {
	wait_s=0.05
	while :; do
		r=$(curl -s -o /dev/null -w '%{http_code} %{errormsg}' --max-time 2 "http://$5:$2$3")
		case "$r" in $healthy" "*) echo "$1 ok ${r% *}"; return 0;; esac
		n=$(restarts "$4")
		if [ "$n" -ge "$crashes" ]; then echo "$1 fail crashed $n"; return 1; fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			case "$r" in
			"000 Failed to connect"*) echo "$1 fail closed $(ports_of "$4" "$6")";;
			000" "*) echo "$1 fail error ${r#* }";;
			*) echo "$1 fail answered ${r% *}";;
			esac
			return 1
		fi
		sleep "$wait_s"
		case "$wait_s" in 0.05) wait_s=0.1;; 0.1) wait_s=0.2;; 0.2) wait_s=0.4;; *) wait_s=0.5;; esac
	done
}
)SH";

const char* k_worker_check = R"SH(check() {
	while :; do
		s=$(sv status "$2" 2>&1 | head -n 1)
		case "$s" in "run: "*) t=${s#*) }; t=${t%%s*}
			if [ "$t" -ge "$3" ] 2>/dev/null; then echo "$1 ok up ${t}s"; return 0; fi;; esac
		n=$(restarts "$2")
		if [ "$n" -ge "$crashes" ]; then echo "$1 fail crashed $n"; return 1; fi
		if [ "$(date +%s)" -ge "$deadline" ]; then echo "$1 fail down $s"; return 1; fi
		sleep 0.5
	done
}
)SH";

/// Targets are checked in parallel, so a crashing one is reported without waiting for a slow one.
const char* k_wait_all = "for p in $pids; do wait \"$p\" || rc=1; done\nexit $rc\n";

/// The lines every check starts with: its deadline and crash limit, and the probes.
std::string check_head(int timeout_s) {
    return fmt::format("deadline=$(( $(date +%s) + {} ))\ncrashes={}\n", timeout_s,
                       k_crash_restarts) +
           k_instance_probes;
}

int leading_int(const std::string& s, size_t pos) {
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        n = n * 10 + (s[pos++] - '0');
    }
    return n;
}

} // namespace

std::string web_health_script(const std::vector<WebTarget>& targets, const std::string& path,
                              int timeout_s) {
    std::string out = check_head(timeout_s) +
                      (path.empty() ? "healthy='[1-4][0-9][0-9]'\n" : "healthy='2[0-9][0-9]'\n") +
                      k_web_check + "rc=0 pids=\n";
    std::string url_path = shell_quote(path.empty() ? "/" : path);
    for (const WebTarget& t : targets) {
        out += fmt::format("check {} {} {} {} {} {} & pids=\"$pids $!\"\n", shell_quote(t.name),
                           t.port, url_path, shell_quote(t.dir), shell_quote(t.host),
                           shell_quote(t.netns_path));
    }
    return out + k_wait_all;
}

std::string worker_health_script(const std::vector<WorkerTarget>& targets, int timeout_s) {
    std::string out = check_head(timeout_s) + k_worker_check + "rc=0 pids=\n";
    for (const WorkerTarget& t : targets) {
        out += fmt::format("check {} {} {} & pids=\"$pids $!\"\n", shell_quote(t.name),
                           shell_quote(t.dir), t.min_up_s);
    }
    return out + k_wait_all;
}

SvStatus parse_sv_status(const std::string& line) {
    SvStatus st;
    size_t colon = line.find(": ");
    std::string state = colon == std::string::npos ? "" : line.substr(0, colon);
    if (state != "run" && state != "down" && state != "finish") {
        st.state = "starting";
        return st;
    }
    st.state = state;
    size_t rest = line.find(": ", colon + 2);
    if (rest == std::string::npos) {
        return st;
    }
    rest += 2;
    if (line.compare(rest, 5, "(pid ") == 0) {
        st.pid = leading_int(line, rest + 5);
        size_t close = line.find(") ", rest);
        st.seconds = close == std::string::npos ? 0 : leading_int(line, close + 2);
    } else {
        st.seconds = leading_int(line, rest);
    }
    return st;
}

std::string list_instances_script(const std::string& service_dir) {
    return fmt::format(R"SH(cd {} 2>/dev/null || exit 0
for d in *; do
	[ -f "$d/instance.json" ] || continue
	printf '%s\t%s\t%s\t' "$d" "$(tr -d '\n' < "$d/instance.json")" "$(cat "$d/starts" 2>/dev/null | wc -c)"
	sv status "$PWD/$d" 2>&1 | head -n 1
done
)SH",
                       shell_quote(service_dir));
}

std::string listening_ports_command() { return "ss -ltnH | awk '{print $4}' | sed 's/.*://'"; }

std::string foreign_listeners_command(const std::vector<int>& ports, const std::string& allowed) {
    std::string list;
    for (int p : ports) {
        list += " " + std::to_string(p);
    }
    return fmt::format(R"SH(for port in{list}; do
	for pid in $(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
		c=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)
		case "$c" in *{allowed}*) ;; *) echo "$port $pid $c";; esac
	done
done
)SH",
                       fmt::arg("list", list), fmt::arg("allowed", shell_quote(allowed)));
}

std::vector<int> pick_ports(const std::vector<int>& used, int count, int min, int max, int start) {
    std::set<int> taken(used.begin(), used.end());
    std::vector<int> out;
    int span = max - min + 1;
    int first = std::clamp(start, min, max) - min;
    for (int i = 0; i < span && static_cast<int>(out.size()) < count; ++i) {
        int port = min + (first + i) % span;
        if (!taken.count(port)) {
            out.push_back(port);
        }
    }
    if (static_cast<int>(out.size()) < count) {
        fail("no free port in {}-{} ({} needed)", min, max, count);
    }
    return out;
}

std::string mutex_acquire_command(const std::string& dir, int wait_s, int stale_s) {
    std::string d = shell_quote(dir);
    return fmt::format(R"SH(i=0
until mkdir {d} 2>/dev/null; do
	t=$(stat -c %Y {d} 2>/dev/null) && [ $(( $(date +%s) - t )) -ge {stale} ] && rmdir {d} 2>/dev/null && continue
	i=$((i + 1))
	if [ "$i" -ge {tries} ]; then echo "busy: "{d}; exit 1; fi
	sleep 0.1
done
)SH",
                       fmt::arg("d", d), fmt::arg("stale", stale_s),
                       fmt::arg("tries", wait_s * 10));
}

std::string mutex_release_command(const std::string& dir) {
    return "rmdir " + shell_quote(dir) + " 2>/dev/null; true";
}

std::string stop_services_command(const std::string& service_dir,
                                  const std::vector<std::string>& names, int wait_s) {
    std::string list;
    for (const std::string& n : names) {
        list += " " + shell_quote(n);
    }
    return fmt::format(R"SH(cd {dir} || exit 1
dirs= cgroups=
for n in{list}; do [ -d "$n" ] && dirs="$dirs $PWD/$n"; done
[ -z "$dirs" ] || sv -w {wait} force-stop $dirs >/dev/null 2>&1
for n in{list}; do
	[ -d "$n" ] || continue
	mv "$n" ".$n.gone" && sv exit "$PWD/.$n.gone" "$PWD/.$n.gone/log" >/dev/null 2>&1
done
for n in{list}; do
	[ -d ".$n.gone" ] || continue
	i=0
	while sv status "$PWD/.$n.gone" >/dev/null 2>&1 && [ "$i" -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
	[ -f ".$n.gone/cgroup" ] && cgroups="$cgroups $(cat ".$n.gone/cgroup")"
	rm -rf ".$n.gone"
done
# a cgroup stays busy until its last (zombie) process is reaped
for cg in $cgroups; do
	i=0
	while [ -d "$cg" ] && ! rmdir "$cg" 2>/dev/null && [ "$i" -lt 20 ]; do i=$((i + 1)); sleep 0.1; done
	rmdir "${{cg%/*}}" 2>/dev/null
done
true
)SH",
                       fmt::arg("dir", shell_quote(service_dir)), fmt::arg("list", list),
                       fmt::arg("wait", wait_s));
}

} // namespace wm::runtime
