#pragma once
// Ctrl-C, `kill` and a closed terminal: SIGINT/SIGTERM/SIGHUP set a flag that lib polls through
// wm::Cancellation; the command then unwinds (stopping new instances, releasing the lease) and
// exits 128 + the signal from main (130, 143, 129), as shells report a process the signal killed.

#include <wm/base/cancel.hpp>

namespace wm::cli {

/// Installs the SIGINT, SIGTERM and SIGHUP handlers (once, before any thread starts). A second
/// one of them stops wm at once: it prints what may be left on the servers and exits 128 + that
/// signal.
void install_interrupt_handlers();

/// The first of those signals that arrived, or 0.
int interrupt_signal();

/// Requested once SIGINT, SIGTERM or SIGHUP arrived after install_interrupt_handlers().
class InterruptFlag : public Cancellation {
  public:
    bool requested() const override;
};

} // namespace wm::cli
