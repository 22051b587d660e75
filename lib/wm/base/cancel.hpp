#pragma once
// Cancellation of long waits (Ctrl-C). cli/ implements it over its signal handler's flag and
// passes it down; lib only polls it, between steps and inside waits on processes and servers.

#include <wm/base/error.hpp>

namespace wm {

/// Whether the user asked to stop. Polled; never blocks.
class Cancellation {
  public:
    virtual ~Cancellation() = default;
    /// True once a stop was requested (stays true).
    virtual bool requested() const = 0;
};

/// The Error a cancelled wait throws: "interrupted", exit code 130.
Error interrupted_error();

/// Throws interrupted_error() when `cancel` is set and requested.
void throw_if_cancelled(const Cancellation* cancel);

/// `e`, or, when `cancel` was requested meanwhile, interrupted_error() at e's server and step: a
/// signal also breaks a wait with an error of its own (EINTR: "Error waiting on socket"), and
/// that error is the interruption's effect, not a failure to report.
Error as_interruption(const Error& e, const Cancellation* cancel);

} // namespace wm
