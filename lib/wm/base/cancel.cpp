#include <wm/base/cancel.hpp>

namespace wm {

Error interrupted_error() { return Error("interrupted", ExitCode::interrupted); }

void throw_if_cancelled(const Cancellation* cancel) {
    if (cancel && cancel->requested()) {
        throw interrupted_error();
    }
}

Error as_interruption(const Error& e, const Cancellation* cancel) {
    if (!cancel || !cancel->requested() || e.exit_code() == ExitCode::interrupted) {
        return e;
    }
    Error out = interrupted_error();
    out = e.server().empty() ? out : out.with_server(e.server());
    return e.step().empty() ? out : out.with_step(e.step());
}

} // namespace wm
