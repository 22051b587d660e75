// The exported filter, loaded into a forked child the way bubblewrap loads it (--seccomp FD):
// refused calls fail with their errno, everything else still works.
#include <wm/sandbox/seccomp.hpp>

#include <catch2/catch.hpp>

#include <cerrno>

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace wm::sandbox;

namespace {

/// Runs `probe` in a child under `bpf`; returns its exit code (255: the filter did not load).
template <typename Probe>
int under_filter(const std::string& bpf, Probe probe) {
    pid_t pid = ::fork();
    if (pid == 0) {
        sock_fprog prog{static_cast<unsigned short>(bpf.size() / sizeof(sock_filter)),
                        reinterpret_cast<sock_filter*>(const_cast<char*>(bpf.data()))};
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
            ::_exit(255);
        }
        ::_exit(probe());
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// 0 when the call failed with `expected`, 1 when it succeeded, 2 for another errno.
int refused(long rc, int expected) { return rc == 0 ? 1 : (errno == expected ? 0 : 2); }

} // namespace

TEST_CASE("uname -m names the filter's architecture") {
    CHECK(arch_from_uname("x86_64\n") == Arch::x86_64);
    CHECK(arch_from_uname("aarch64\n") == Arch::aarch64);
    CHECK(arch_from_uname("arm64") == Arch::aarch64);
    CHECK_FALSE(arch_from_uname("riscv64\n"));
}

TEST_CASE("filters are exported for x86_64 and aarch64 and differ") {
    std::string x86 = export_filter(Arch::x86_64);
    std::string arm = export_filter(Arch::aarch64);
    CHECK(x86.size() % sizeof(sock_filter) == 0);
    CHECK(x86.size() > 40 * sizeof(sock_filter));
    CHECK(arm.size() % sizeof(sock_filter) == 0);
    CHECK(x86 != arm);
}

#if defined(__x86_64__)
TEST_CASE("the x86_64 filter refuses escapes and allows ordinary calls") {
    std::string bpf = export_filter(Arch::x86_64);
    CHECK(under_filter(
              bpf, [] { return refused(::mount("none", "/mnt", "tmpfs", 0, ""), EPERM); }) == 0);
    CHECK(under_filter(bpf, [] { return refused(::umount2("/proc", 0), EPERM); }) == 0);
    CHECK(under_filter(bpf, [] { return refused(::unshare(CLONE_NEWUSER), EPERM); }) == 0);
    CHECK(under_filter(bpf, [] { return refused(::syscall(SYS_ptrace, 0, 1, 0, 0), EPERM); }) == 0);
    CHECK(under_filter(bpf, [] { return refused(::syscall(SYS_bpf, 0, 0, 0), EPERM); }) == 0);
    CHECK(under_filter(bpf, [] { return refused(::syscall(SYS_keyctl, 0, 0, 0), EPERM); }) == 0);
    CHECK(under_filter(bpf, [] {
              return refused(::syscall(SYS_open_by_handle_at, -1, nullptr, 0), EPERM);
          }) == 0);
    CHECK(under_filter(bpf, [] { return refused(::syscall(SYS_clone3, nullptr, 0), ENOSYS); }) ==
          0);
    CHECK(under_filter(bpf, [] {
              return refused(::syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0), EPERM);
          }) == 0);
    // A plain fork (clone without namespace flags) and ordinary calls still work.
    CHECK(under_filter(bpf, [] {
              pid_t child = ::fork();
              if (child == 0) {
                  ::_exit(7);
              }
              int st = 0;
              ::waitpid(child, &st, 0);
              return WEXITSTATUS(st) == 7 && ::getpid() > 0 ? 0 : 1;
          }) == 0);
}
#endif
