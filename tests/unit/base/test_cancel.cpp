// Cancellation (base/cancel.hpp): an error a signal caused is reported as the interruption.
#include <wm/base/cancel.hpp>

#include <catch2/catch.hpp>

using namespace wm;

namespace {
struct Flag : Cancellation {
    bool on = false;
    bool requested() const override { return on; }
};
} // namespace

TEST_CASE("cancel: an error after a stop request is the interruption, at its server and step",
          "[base]") {
    Flag flag;
    Error broken =
        Error("starting sftp: Error waiting on socket").with_server("a").with_step("upload");
    CHECK(as_interruption(broken, &flag).describe() == broken.describe());
    CHECK(as_interruption(broken, nullptr).exit_code() == ExitCode::failure);
    flag.on = true;
    Error e = as_interruption(broken, &flag);
    CHECK(e.exit_code() == ExitCode::interrupted);
    CHECK(e.describe() == "server a: step upload: interrupted");
    CHECK(as_interruption(Error("plain"), &flag).describe() == "interrupted");
}
