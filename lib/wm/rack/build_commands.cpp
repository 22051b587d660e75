#include <wm/base/error.hpp>
#include <wm/base/process.hpp>
#include <wm/rack/build_commands.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace wm::rack {

namespace {
std::string q(const std::string& s) { return shell_quote(s); }

// The slug module's entry mtime (slug::k_mtime, 1980-01-01T00:00:00Z): rack does not link slug.
constexpr long k_slug_mtime = 315532800;
} // namespace

Need slug_transfer_need() { return {"", "rsync", "rsync"}; }

std::string buildpack_present_command(const Layout& l, const std::string& hash) {
    return "test -f " + q(l.buildpack_dir(hash) + "/.complete");
}

std::string install_buildpack_command(const Layout& l, const std::string& hash,
                                      const std::string& tar) {
    std::string dir = l.buildpack_dir(hash);
    return fmt::format("set -e; rm -rf {t}; mkdir -p {t}; tar --zstd -xf {tar} -C {t}; "
                       "touch {t}/.complete; rm -rf {d}; mv {t} {d}; rm -f {tar}",
                       fmt::arg("t", q(dir + ".tmp")), fmt::arg("d", q(dir)),
                       fmt::arg("tar", q(tar)));
}

std::string stage_source_command(const Layout& l, const std::string& id, const std::string& tar) {
    std::string work = l.build_work_dir(id);
    return fmt::format("set -e; chmod 0700 {b}; rm -rf {w}; mkdir -p -m 0700 {w}; "
                       "mkdir -p {w}/app {w}/env; tar --zstd -xf {tar} -C {w}/app; rm -f {tar}",
                       fmt::arg("b", q(l.build_dir())), fmt::arg("w", q(work)),
                       fmt::arg("tar", q(tar)));
}

std::string give_build_command(const Layout& l, const std::string& id,
                               const std::vector<std::string>& caches, int uid) {
    std::string work = l.build_work_dir(id);
    std::string dirs = q(work + "/app") + " " + q(work + "/env");
    for (const std::string& c : caches) {
        dirs += " " + q(c);
    }
    return fmt::format("set -e; mkdir -p {d}; chown -R {u}:{u} {d}", fmt::arg("d", dirs),
                       fmt::arg("u", uid));
}

std::string pack_slug_command(const Layout& l, const std::string& id) {
    std::string work = l.build_work_dir(id);
    return fmt::format(
        "set -e; cd {app}; "
        "find . -type d -exec chmod 0755 {{}} +; "
        "find . -type f -perm /111 -exec chmod 0755 {{}} +; "
        "find . -type f ! -perm /111 -exec chmod 0644 {{}} +; "
        "LC_ALL=C tar --sort=name --format=gnu --mtime=@{mtime} --owner=0 --group=0 "
        "--numeric-owner --hard-dereference -cf {w}/slug.tar .; "
        "zstd -q --rsyncable --rm -o {w}/slug.tar.zst {w}/slug.tar; "
        "sha=$(sha256sum < {w}/slug.tar.zst | cut -c1-64); mkdir -p {s}; chmod 0700 {s}; "
        "chmod 0600 {w}/slug.tar.zst; mv {w}/slug.tar.zst {s}/$sha.tar.zst; "
        "echo \"$sha $(stat -c %s {s}/$sha.tar.zst)\"",
        fmt::arg("app", q(work + "/app")), fmt::arg("w", q(work)), fmt::arg("mtime", k_slug_mtime),
        fmt::arg("s", q(l.slugs_dir())));
}

std::string remove_build_command(const Layout& l, const std::string& id) {
    return "rm -rf " + q(l.build_work_dir(id));
}

std::string slug_valid_command(const Layout& l, const std::string& sha256) {
    std::string f = q(l.slug(sha256));
    return fmt::format("test -s {f} || exit 1; "
                       "[ \"$(sha256sum < {f} | cut -c1-64)\" = {sha} ] && exit 0; "
                       "rm -f {f}; exit 1",
                       fmt::arg("f", f), fmt::arg("sha", q(sha256)));
}

std::string offer_slugs_command(const Layout& l, const std::string& id) {
    std::string d = l.slug_offer_dir(id);
    std::string conf;
    for (const std::string& line :
         {"pid file = " + d + "/pid", std::string("use chroot = no"),
          std::string("max connections = 32"), std::string("[slugs]"), "path = " + l.slugs_dir(),
          std::string("read only = yes"), std::string("list = no"), std::string("uid = root"),
          std::string("gid = root"), std::string("auth users = wm"),
          "secrets file = " + d + "/secrets"}) {
        conf += " " + q(line);
    }
    return fmt::format(
        "set -e; d={d}; rm -rf \"$d\"; mkdir -p -m 0700 \"$d\"\n"
        "token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n')\n"
        "umask 077; printf 'wm:%s\\n' \"$token\" > \"$d/secrets\"\n"
        "printf '%s\\n'{conf} > \"$d/rsyncd.conf\"\n"
        "for try in 1 2 3 4 5 6 7 8; do\n"
        "\tport=$((30000 + $(od -An -N2 -tu2 /dev/urandom) % 10000))\n"
        "\trsync --daemon --port \"$port\" --config \"$d/rsyncd.conf\" --log-file \"$d/log\" "
        "|| continue\n"
        "\tsleep 0.3\n"
        "\tif [ -s \"$d/pid\" ] && kill -0 \"$(cat \"$d/pid\")\" 2>/dev/null; then\n"
        "\t\techo \"$port $token $(hostname -I 2>/dev/null)\"; exit 0\n"
        "\tfi\n"
        "done\n"
        "echo \"cannot start rsync --daemon: $(tail -n 3 \"$d/log\" 2>/dev/null)\" >&2; exit 1",
        fmt::arg("d", q(d)), fmt::arg("conf", conf));
}

std::string withdraw_slugs_command(const Layout& l, const std::string& id) {
    std::string d = q(l.slug_offer_dir(id));
    return fmt::format("[ -s {d}/pid ] && kill \"$(cat {d}/pid)\" 2>/dev/null; rm -rf {d}",
                       fmt::arg("d", d));
}

// The basis is hard-linked as the fetch's temp file; rsync (not --inplace) writes the new slug
// beside it and renames it over the link, so the basis slug is never written. --inplace would
// lose every match: a block can only come from at or after the write position, and a change
// near the start of the tar shifts the rest of the compressed stream forward.
// --ignore-times: a basis of the same size and second must not pass rsync's quick check.
std::string fetch_slug_command(const Layout& l, const SlugOffer& offer, const std::string& sha) {
    std::string addresses;
    for (const std::string& a : offer.addresses) {
        addresses += " " + q(a);
    }
    return fmt::format(
        "set -e; read -r RSYNC_PASSWORD; export RSYNC_PASSWORD\n"
        "s={s}; tmp=\"$s/.fetch-{sha}\"; mkdir -p \"$s\"; chmod 0700 \"$s\"\n"
        "basis=$(ls -t \"$s\"/*.tar.zst 2>/dev/null | head -n 1)\n"
        "rm -f \"$tmp\"; [ -z \"$basis\" ] || ln \"$basis\" \"$tmp\"\n"
        "got=\n"
        "for a in{addresses}; do\n"
        "\tif out=$(rsync --ignore-times --no-whole-file --contimeout=5 --timeout=600 --stats "
        "\"rsync://wm@$a:{port}/slugs/{sha}.tar.zst\" \"$tmp\" 2>&1); then got=1; break; fi\n"
        "done\n"
        "[ -n \"$got\" ] || {{ rm -f \"$tmp\"; echo \"$out\" | tail -n 3 >&2; exit 1; }}\n"
        "[ \"$(sha256sum < \"$tmp\" | cut -c1-64)\" = {sha} ] || {{ rm -f \"$tmp\"; "
        "echo 'the slug fetched does not have sha256 {sha}' >&2; exit 1; }}\n"
        "chmod 0600 \"$tmp\"; mv \"$tmp\" \"$s/{sha}.tar.zst\"\n"
        "echo \"$out\" | sed -n 's/^Total bytes received: //p' | tr -d ,",
        fmt::arg("s", q(l.slugs_dir())), fmt::arg("sha", sha), fmt::arg("addresses", addresses),
        fmt::arg("port", offer.port));
}

SlugOffer parse_offer(const std::string& id, const std::string& out, const std::string& first) {
    std::istringstream in(out);
    SlugOffer offer;
    offer.id = id;
    if (!(in >> offer.port >> offer.token) || offer.port <= 0 || offer.token.size() != 32) {
        fail("unexpected answer of the slug offer: '{}'", out);
    }
    if (!first.empty()) {
        offer.addresses.push_back(first);
    }
    for (std::string a; in >> a;) {
        // An IPv6 address would need brackets in an rsync:// URL; racks share an IPv4 network.
        if (a.find(':') == std::string::npos &&
            std::find(offer.addresses.begin(), offer.addresses.end(), a) == offer.addresses.end()) {
            offer.addresses.push_back(a);
        }
    }
    return offer;
}

} // namespace wm::rack
