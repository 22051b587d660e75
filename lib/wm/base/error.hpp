#pragma once
// The one error type of wm: a message plus a context chain, caught once in cli/main.cpp.

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace wm {

/// Exit codes shared by every command.
enum class ExitCode : int { ok = 0, failure = 1, usage = 2, interrupted = 130 };

/// A recoverable failure. `server()` and `step()` say where it happened (set once, by the code
/// that knows, usually the innermost); `context()` lists further context outer-most first
/// ("stack web"); `what()` is the bare cause. Messages are lower-case and name the object they
/// are about.
class Error : public std::runtime_error {
  public:
    /// `message` is the bare cause; `code` is what `main` exits with (1 unless said).
    explicit Error(std::string message, ExitCode code = ExitCode::failure);

    /// Returns a copy of this error with `context` prepended to the chain.
    Error with_context(std::string context) const;
    /// Adds an extra hint line printed after the message ("hint: ...").
    Error with_hint(std::string hint) const;
    /// Returns a copy naming the server it happened on, unless one is named already.
    Error with_server(std::string server) const;
    /// Returns a copy naming the step it happened in, unless one is named already.
    Error with_step(std::string step) const;

    const std::vector<std::string>& context() const { return m_context; } ///< outer-most first
    const std::string& hint() const { return m_hint; }                    ///< empty: no hint line
    ExitCode exit_code() const { return m_code; }          ///< what `main` exits with
    const std::string& server() const { return m_server; } ///< empty: not about one server
    const std::string& step() const { return m_step; }     ///< empty: no step named
    /// "server S: step T: ctx1: ctx2: message", the form printed after "wm: error: ".
    std::string describe() const;

  private:
    std::vector<std::string> m_context;
    std::string m_server;
    std::string m_step;
    std::string m_hint;
    ExitCode m_code;
};

/// A usage error: bad flags or arguments (exit 2).
inline Error usage_error(std::string message) { return Error(std::move(message), ExitCode::usage); }

/// Formats and throws an Error.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) {
    throw Error(fmt::format(f, std::forward<Args>(args)...));
}

/// Runs `fn`; an Error escaping it gets `context` prepended (other exceptions become Errors).
template <typename Fn>
decltype(auto) with_context(const std::string& context, Fn&& fn) {
    try {
        return fn();
    } catch (const Error& e) {
        throw e.with_context(context);
    } catch (const std::exception& e) {
        throw Error(e.what()).with_context(context);
    }
}

/// Runs `fn`; an Error escaping it names `server` and `step` (empty: none) where it did not
/// already (other exceptions become Errors).
template <typename Fn>
decltype(auto) at_step(const std::string& server, const std::string& step, Fn&& fn) {
    try {
        return fn();
    } catch (const Error& e) {
        throw e.with_server(server).with_step(step);
    } catch (const std::exception& e) {
        throw Error(e.what()).with_server(server).with_step(step);
    }
}

} // namespace wm
