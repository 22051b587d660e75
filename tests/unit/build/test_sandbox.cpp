#include <wm/base/process.hpp>
#include <wm/build/sandbox.hpp>

#include <catch2/catch.hpp>

TEST_CASE("bin/compile runs with the app at /app and the cache at /cache", "[build]") {
    wm::build::SandboxMounts m{"/s/work/app", "/s/cache/stacks/web/node", "/s/work/env",
                               "/s/cache/buildpacks/node"};
    REQUIRE(wm::shell_join(wm::build::compile_argv("/usr/bin/bwrap", m)) ==
            "/usr/bin/bwrap --die-with-parent --unshare-pid --unshare-ipc --unshare-uts "
            "--hostname wm-build --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 "
            "/lib64 --symlink usr/bin /bin --symlink usr/sbin /sbin --ro-bind /etc /etc "
            "--proc /proc --dev /dev --perms 01777 --tmpfs /tmp --bind /s/work/app /app "
            "--bind /s/cache/stacks/web/node /cache --ro-bind /s/work/env /env "
            "--ro-bind /s/cache/buildpacks/node /buildpack --chdir /app "
            "/buildpack/bin/compile /app /cache /env");
}

TEST_CASE("as root, buildpack scripts drop to the builder uid with no capabilities", "[build]") {
    wm::build::SandboxMounts m{"/w/app", "/c", "/w/env", "/bp"};
    auto user = wm::sandbox::Identity{wm::build::k_builder_uid, wm::build::k_builder_uid,
                                      "wm-build", "/tmp"};
    std::string compile = wm::shell_join(wm::build::compile_argv("bwrap", m, user));
    CHECK(compile.substr(compile.find("--chdir")) ==
          "--chdir /app setpriv --reuid 69999 --regid 69999 --clear-groups --inh-caps=-all "
          "--ambient-caps=-all --bounding-set=-all --no-new-privs -- /buildpack/bin/compile "
          "/app /cache /env");
    std::string detect =
        wm::shell_join(wm::build::script_argv("bwrap", "/a", "/bp", "detect", user));
    CHECK(detect.substr(detect.find("--chdir")) ==
          "--chdir /app setpriv --reuid 69999 --regid 69999 --clear-groups --inh-caps=-all "
          "--ambient-caps=-all --bounding-set=-all --no-new-privs -- /buildpack/bin/detect /app");
}

TEST_CASE("bin/detect and bin/release see the app read-only", "[build]") {
    auto argv = wm::build::script_argv("bwrap", "/a", "/bp", "release");
    std::vector<std::string> tail(argv.end() - 10, argv.end());
    REQUIRE(tail == std::vector<std::string>{"--ro-bind", "/a", "/app", "--ro-bind", "/bp",
                                             "/buildpack", "--chdir", "/app",
                                             "/buildpack/bin/release", "/app"});
}
