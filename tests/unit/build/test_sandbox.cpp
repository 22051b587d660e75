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
            "--proc /proc --dev /dev --tmpfs /tmp --bind /s/work/app /app "
            "--bind /s/cache/stacks/web/node /cache --ro-bind /s/work/env /env "
            "--ro-bind /s/cache/buildpacks/node /buildpack --chdir /app "
            "/buildpack/bin/compile /app /cache /env");
}

TEST_CASE("bin/detect and bin/release see the app read-only", "[build]") {
    auto argv = wm::build::script_argv("bwrap", "/a", "/bp", "release");
    std::vector<std::string> tail(argv.end() - 10, argv.end());
    REQUIRE(tail == std::vector<std::string>{"--ro-bind", "/a", "/app", "--ro-bind", "/bp",
                                             "/buildpack", "--chdir", "/app",
                                             "/buildpack/bin/release", "/app"});
}
