#include "interrupt.hpp"

#include <csignal>

#include <signal.h>
#include <unistd.h>

namespace wm::cli {

namespace {

// The one piece of process-wide state a signal handler can touch.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables)
volatile std::sig_atomic_t g_interrupted = 0;

// The second signal (of any of the three kinds) stops wm at once, saying what may be left: only
// async-signal-safe calls here (signal-safety(7): write, _exit).
extern "C" void on_interrupt(int signal) {
    if (g_interrupted == 0) {
        g_interrupted = signal;
        return;
    }
    static const char k_message[] =
        "\nwm: stopped at once by a second signal: what this command started on the servers "
        "(new instances, the deploy lease) may be left there; the next wm command that reaches "
        "them releases the lease and stops what no deployment owns\n";
    (void)!::write(STDERR_FILENO, k_message, sizeof k_message - 1);
    ::_exit(128 + signal);
}

} // namespace

void install_interrupt_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sa.sa_flags = 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
}

int interrupt_signal() { return static_cast<int>(g_interrupted); }

bool InterruptFlag::requested() const { return g_interrupted != 0; }

} // namespace wm::cli
