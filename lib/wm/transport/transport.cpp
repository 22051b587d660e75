#include <wm/base/error.hpp>
#include <wm/transport/transport.hpp>

namespace wm::transport {

namespace {
std::string last_lines(const std::string& text, size_t n) {
    size_t end = text.size();
    while (end > 0 && text[end - 1] == '\n') {
        --end;
    }
    size_t pos = end;
    for (size_t count = 0; pos > 0 && count < n;) {
        --pos;
        if (text[pos] == '\n' && ++count == n) {
            ++pos;
            break;
        }
    }
    return text.substr(pos, end - pos);
}
} // namespace

std::string unreachable_message(const std::string& address, int port, const std::string& why) {
    return fmt::format("cannot connect to {} port {}: {}", address, port, why);
}

RunResult run_checked(Transport& t, const std::string& step, const std::string& command,
                      const RunOptions& options) {
    RunResult r = t.run(command, options);
    if (r.ok()) {
        return r;
    }
    std::string why = r.timed_out ? "timed out" : fmt::format("exited with status {}", r.exit_code);
    std::string tail = last_lines(r.err.empty() ? r.out : r.err, 10);
    throw Error(tail.empty() ? why : why + ":\n" + tail).with_step(step).with_server(t.name());
}

} // namespace wm::transport
