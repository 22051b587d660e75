#pragma once
// Ctrl-C and `kill`: SIGINT/SIGTERM set a flag that lib polls through wm::Cancellation; the
// command then unwinds (stopping new instances, releasing the lease) and exits 130 from main.

#include <wm/base/cancel.hpp>

namespace wm::cli {

/// Installs the SIGINT and SIGTERM handlers (once, before any thread starts). A second signal
/// of the same kind kills wm at once (the default action is restored by the first).
void install_interrupt_handlers();

/// Requested once SIGINT or SIGTERM arrived after install_interrupt_handlers().
class InterruptFlag : public Cancellation {
  public:
    bool requested() const override;
};

} // namespace wm::cli
