#include <wm/base/cancel.hpp>

namespace wm {

Error interrupted_error() { return Error("interrupted", ExitCode::interrupted); }

void throw_if_cancelled(const Cancellation* cancel) {
    if (cancel && cancel->requested()) {
        throw interrupted_error();
    }
}

} // namespace wm
