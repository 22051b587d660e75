#include <wm/sandbox/confine.hpp>

#include <fmt/format.h>

namespace wm::sandbox {

namespace {

/// Files and dirs of the server's /etc that hold nothing secret and that libc, TLS clients and
/// language runtimes read (Debian's JVM and PHP keep their config under /etc).
const std::vector<std::string>& host_etc_entries() {
    static const std::vector<std::string> entries = {
        "alternatives", "ssl/certs",       "ssl/openssl.cnf", "ca-certificates",
        "resolv.conf",  "localtime",       "timezone",        "ld.so.cache",
        "protocols",    "services",        "mime.types",      "host.conf",
        "gai.conf",     "java-17-openjdk", "java-21-openjdk", "php"};
    return entries;
}

const char* k_generated[] = {"passwd", "group", "hosts", "nsswitch.conf"};

} // namespace

std::string tenant_user_name(const std::string& key) {
    std::string name = "wm-";
    for (char c : key) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        name += ok ? c : '-';
    }
    return name.substr(0, 32);
}

std::vector<std::string> drop_argv(const Identity& id) {
    return {"setpriv",
            "--reuid",
            std::to_string(id.uid),
            "--regid",
            std::to_string(id.gid),
            "--clear-groups",
            "--inh-caps=-all",
            "--ambient-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
            "--"};
}

// One mount or flag per line reads better than a packed table.
// clang-format off
std::vector<std::string> system_argv() {
    std::vector<std::string> argv = {
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin",
        "--symlink", "usr/sbin", "/sbin",
        "--proc", "/proc",
        "--dev", "/dev",
        "--perms", "01777", "--tmpfs", "/tmp",
        "--perms", "01777", "--tmpfs", "/dev/shm",
        // bwrap as root makes missing parents 0700: the tenant could not reach its /etc
        "--perms", "0755", "--dir", "/etc",
        "--perms", "0755", "--dir", "/etc/ssl"};
    for (const std::string& entry : host_etc_entries()) {
        argv.insert(argv.end(), {"--ro-bind-try", "/etc/" + entry, "/etc/" + entry});
    }
    return argv;
}
// clang-format on

std::vector<std::string> etc_argv(const std::string& etc_dir) {
    std::vector<std::string> argv;
    for (const char* file : k_generated) {
        argv.insert(argv.end(), {"--ro-bind", etc_dir + "/" + file, std::string("/etc/") + file});
    }
    return argv;
}

std::map<std::string, std::string> etc_files(const Identity& id) {
    return {
        {"passwd", fmt::format("root:x:0:0:root:/root:/usr/sbin/nologin\n"
                               "{n}:x:{u}:{g}:{n}:{h}:/bin/sh\n"
                               "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
                               fmt::arg("n", id.name), fmt::arg("u", id.uid), fmt::arg("g", id.gid),
                               fmt::arg("h", id.home))},
        {"group", fmt::format("root:x:0:\n{}:x:{}:\nnogroup:x:65534:\n", id.name, id.gid)},
        {"hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"},
        {"nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n"
                          "networks: files\nprotocols: files\nservices: files\n"},
    };
}

} // namespace wm::sandbox
