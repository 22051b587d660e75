#pragma once
// The user's terminal in raw mode while a console runs on a server (`wm run -i`): every key,
// Ctrl-C included, goes to the remote terminal, which does its own echo and line editing.

#include <wm/base/process.hpp>

#include <termios.h>

namespace wm::cli {

/// Puts the terminal on `fd` into raw mode (cfmakeraw(3)) and restores its settings when
/// destroyed. Throws Error when `fd` is not a terminal.
class RawTerminal {
  public:
    explicit RawTerminal(int fd);
    ~RawTerminal();
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

  private:
    int m_fd;
    termios m_saved{};
};

/// The terminal on `fd` as a PtySpec: its size now (TIOCGWINSZ), followed while the command
/// runs (size_fd), and `term` ($TERM; "xterm" when empty or "dumb" would not do for a console).
PtySpec pty_of(int fd, const std::string& term);

} // namespace wm::cli
