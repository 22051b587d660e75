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

std::string Error::describe() const {
    std::string out;
    for (const auto& c : m_context) {
        out += c + ": ";
    }
    return out + what();
}

} // namespace wm
