#include <wm/base/process.hpp>
#include <wm/sandbox/confine.hpp>

#include <catch2/catch.hpp>

using namespace wm::sandbox;

TEST_CASE("tenant user names are passwd-safe") {
    CHECK(tenant_user_name("production") == "wm-production");
    CHECK(tenant_user_name("shop.Staging_2") == "wm-shop--taging-2");
    CHECK(tenant_user_name(std::string(40, 'a')).size() == 32);
}

TEST_CASE("setpriv drops uid, gid, groups, every capability set and sets no_new_privs") {
    CHECK(wm::shell_join(drop_argv({70001, 70001, "wm-staging"})) ==
          "setpriv --reuid 70001 --regid 70001 --clear-groups --inh-caps=-all "
          "--ambient-caps=-all --bounding-set=-all --no-new-privs --");
}

TEST_CASE("the system of a sandbox: /usr read-only, own /proc and /dev, no server /etc") {
    std::string argv = wm::shell_join(system_argv());
    CHECK(argv.rfind("--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 "
                     "--symlink usr/bin /bin --symlink usr/sbin /sbin --proc /proc --dev /dev "
                     "--perms 01777 --tmpfs /tmp --perms 01777 --tmpfs /dev/shm "
                     "--perms 0755 --dir /etc --perms 0755 --dir /etc/ssl "
                     "--ro-bind-try /etc/alternatives /etc/alternatives "
                     "--ro-bind-try /etc/ssl/certs /etc/ssl/certs ",
                     0) == 0);
    CHECK(argv.find("--ro-bind-try /etc/resolv.conf /etc/resolv.conf") != std::string::npos);
    CHECK(argv.find(" /etc /etc") == std::string::npos);
    CHECK(argv.find("shadow") == std::string::npos);
    CHECK(argv.find("/etc/ssh") == std::string::npos);
    CHECK(argv.find("/etc/ssl/private") == std::string::npos);
}

TEST_CASE("the generated /etc names the tenant") {
    Identity id{70002, 70002, "wm-staging"};
    auto files = etc_files(id);
    CHECK(files.at("passwd") == "root:x:0:0:root:/root:/usr/sbin/nologin\n"
                                "wm-staging:x:70002:70002:wm-staging:/app:/bin/sh\n"
                                "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    CHECK(files.at("group") == "root:x:0:\nwm-staging:x:70002:\nnogroup:x:65534:\n");
    CHECK(files.at("hosts") == "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    CHECK(files.at("nsswitch.conf").rfind("passwd: files\n", 0) == 0);
    CHECK(wm::shell_join(etc_argv("/t/etc")) ==
          "--ro-bind /t/etc/passwd /etc/passwd --ro-bind /t/etc/group /etc/group "
          "--ro-bind /t/etc/hosts /etc/hosts --ro-bind /t/etc/nsswitch.conf /etc/nsswitch.conf");
}
