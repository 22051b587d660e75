#pragma once
// The seccomp filter of every sandboxed process (instances, release commands, builds), exported
// as a classic BPF program for bubblewrap's `--seccomp FD`. The only user of libseccomp.

#include <optional>
#include <string>
#include <vector>

namespace wm::sandbox {

/// The CPU architectures a filter can be exported for.
enum class Arch { x86_64, aarch64 };

/// The architecture named by `uname -m` ("x86_64", "aarch64"; a trailing newline is ignored);
/// nullopt for any other.
std::optional<Arch> arch_from_uname(const std::string& machine);

/// The system calls the filter refuses with EPERM: mounting, module and kexec loading, handles
/// (open_by_handle_at), tracing and reading other processes, keyrings, bpf, namespaces,
/// swap, reboot, perf events, userfaultfd, the new mount API, clock setting. Besides these,
/// clone with a namespace flag is refused (EPERM) and clone3 answers ENOSYS (its flags sit in
/// memory a filter cannot read; libc falls back to clone), as does TIOCSTI on ioctl.
const std::vector<std::string>& refused_syscalls();

/// The filter as a BPF program for `arch` (libseccomp's seccomp_export_bpf): everything else is
/// allowed; a system call of another architecture (e.g. 32-bit x86 on x86_64) kills the
/// process. Throws Error when libseccomp refuses a rule or the export.
std::string export_filter(Arch arch);

} // namespace wm::sandbox
