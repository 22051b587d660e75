#include <wm/base/error.hpp>

namespace wm {

Error::Error(std::string message, ExitCode code)
    : std::runtime_error(std::move(message)), m_code(code) {}

Error Error::with_context(std::string context) const {
    Error copy = *this;
    copy.m_context.insert(copy.m_context.begin(), std::move(context));
    return copy;
}

Error Error::with_hint(std::string hint) const {
    Error copy = *this;
    copy.m_hint = std::move(hint);
    return copy;
}

Error Error::with_server(std::string server) const {
    Error copy = *this;
    if (copy.m_server.empty()) {
        copy.m_server = std::move(server);
    }
    return copy;
}

Error Error::with_step(std::string step) const {
    Error copy = *this;
    if (copy.m_step.empty()) {
        copy.m_step = std::move(step);
    }
    return copy;
}

std::string Error::describe() const {
    std::string out = m_server.empty() ? "" : "server " + m_server + ": ";
    out += m_step.empty() ? "" : "step " + m_step + ": ";
    for (const auto& c : m_context) {
        out += c + ": ";
    }
    return out + what();
}

} // namespace wm
