#pragma once
#include "context.hpp"

namespace wm::cli {
/// Prints "wm X.Y.Z" and the versions of the linked libraries (JSON with --json).
void print_version(Context& ctx);
} // namespace wm::cli
