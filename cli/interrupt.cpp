#include "interrupt.hpp"

#include <csignal>

#include <signal.h>

namespace wm::cli {

namespace {

// The one piece of process-wide state a signal handler can touch.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables)
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int signal) {
    if (g_interrupted == 0) {
        g_interrupted = signal;
    }
}

} // namespace

void install_interrupt_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sa.sa_flags = SA_RESETHAND; // a second Ctrl-C is not caught: it kills wm
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
}

int interrupt_signal() { return static_cast<int>(g_interrupted); }

bool InterruptFlag::requested() const { return g_interrupted != 0; }

} // namespace wm::cli
