#include <wm/base/error.hpp>
#include <wm/sandbox/seccomp.hpp>

#include <seccomp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace wm::sandbox {

namespace {

constexpr std::uint64_t k_namespace_flags[] = {CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWUTS,
                                               CLONE_NEWIPC, CLONE_NEWUSER,   CLONE_NEWPID,
                                               CLONE_NEWNET};

struct FilterDeleter {
    void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Filter = std::unique_ptr<void, FilterDeleter>;

void check(int rc, const std::string& what) {
    if (rc < 0) {
        fail("seccomp filter: {} failed: {}", what, std::strerror(-rc));
    }
}

uint32_t scmp_arch(Arch arch) {
    return arch == Arch::aarch64 ? SCMP_ARCH_AARCH64 : SCMP_ARCH_X86_64;
}

/// A filter whose only architecture is `arch` (the native one is removed when it differs).
Filter new_filter(Arch arch) {
    Filter f(seccomp_init(SCMP_ACT_ALLOW));
    if (!f) {
        fail("seccomp filter: seccomp_init failed");
    }
    uint32_t target = scmp_arch(arch);
    if (seccomp_arch_native() != target) {
        check(seccomp_arch_add(f.get(), target), "adding the architecture");
        check(seccomp_arch_remove(f.get(), SCMP_ARCH_NATIVE), "removing the native architecture");
    }
    check(seccomp_attr_set(f.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS),
          "setting the bad-architecture action");
    return f;
}

/// The native number of `name` when the call exists on `arch` (rules take native numbers and
/// libseccomp translates them); nullopt when it does not (iopl on aarch64, umount on x86_64).
std::optional<int> syscall_number(Arch arch, const std::string& name) {
    if (seccomp_syscall_resolve_name_arch(scmp_arch(arch), name.c_str()) == __NR_SCMP_ERROR) {
        return std::nullopt;
    }
    int nr = seccomp_syscall_resolve_name(name.c_str());
    return nr == __NR_SCMP_ERROR ? std::nullopt : std::optional<int>(nr);
}

void refuse(const Filter& f, Arch arch, const std::string& name, int err) {
    if (auto nr = syscall_number(arch, name)) {
        check(seccomp_rule_add(f.get(), SCMP_ACT_ERRNO(err), *nr, 0), "refusing " + name);
    }
}

void add_rules(const Filter& f, Arch arch) {
    for (const std::string& name : refused_syscalls()) {
        refuse(f, arch, name, EPERM);
    }
    refuse(f, arch, "clone3", ENOSYS);
    // Rules of one call are alternatives: one per flag makes "any namespace flag set".
    for (std::uint64_t flag : k_namespace_flags) {
        check(seccomp_rule_add(f.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
              "refusing clone with namespace flags");
    }
    check(seccomp_rule_add(f.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                           SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI)),
          "refusing TIOCSTI");
}

} // namespace

std::optional<Arch> arch_from_uname(const std::string& machine) {
    std::string m = machine.substr(0, machine.find_last_not_of("\n\r ") + 1);
    if (m == "x86_64") {
        return Arch::x86_64;
    }
    if (m == "aarch64" || m == "arm64") {
        return Arch::aarch64;
    }
    return std::nullopt;
}

const std::vector<std::string>& refused_syscalls() {
    static const std::vector<std::string> names = {"mount",
                                                   "umount",
                                                   "umount2",
                                                   "pivot_root",
                                                   "chroot",
                                                   "move_mount",
                                                   "open_tree",
                                                   "fsopen",
                                                   "fsconfig",
                                                   "fsmount",
                                                   "fspick",
                                                   "mount_setattr",
                                                   "open_by_handle_at",
                                                   "name_to_handle_at",
                                                   "kexec_load",
                                                   "kexec_file_load",
                                                   "init_module",
                                                   "finit_module",
                                                   "delete_module",
                                                   "ptrace",
                                                   "process_vm_readv",
                                                   "process_vm_writev",
                                                   "keyctl",
                                                   "add_key",
                                                   "request_key",
                                                   "bpf",
                                                   "unshare",
                                                   "setns",
                                                   "swapon",
                                                   "swapoff",
                                                   "reboot",
                                                   "perf_event_open",
                                                   "userfaultfd",
                                                   "acct",
                                                   "quotactl",
                                                   "syslog",
                                                   "settimeofday",
                                                   "clock_settime",
                                                   "clock_adjtime",
                                                   "adjtimex",
                                                   "iopl",
                                                   "ioperm",
                                                   "lookup_dcookie",
                                                   "uselib",
                                                   "vhangup"};
    return names;
}

std::string export_filter(Arch arch) {
    Filter f = new_filter(arch);
    add_rules(f, arch);
    std::unique_ptr<FILE, int (*)(FILE*)> tmp(std::tmpfile(), &std::fclose);
    if (!tmp) {
        fail("seccomp filter: cannot create a temporary file");
    }
    int fd = fileno(tmp.get());
    check(seccomp_export_bpf(f.get(), fd), "exporting the program");
    std::string out(static_cast<size_t>(lseek(fd, 0, SEEK_END)), '\0');
    if (pread(fd, out.data(), out.size(), 0) != static_cast<ssize_t>(out.size())) {
        fail("seccomp filter: cannot read the exported program back");
    }
    return out;
}

} // namespace wm::sandbox
