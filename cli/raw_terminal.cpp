#include "raw_terminal.hpp"

#include <wm/base/error.hpp>

#include <cerrno>
#include <cstring>

#include <sys/ioctl.h>

namespace wm::cli {

RawTerminal::RawTerminal(int fd) : m_fd(fd) {
    if (::tcgetattr(fd, &m_saved) != 0) {
        fail("reading the terminal's settings: {}", std::strerror(errno));
    }
    termios raw = m_saved;
    ::cfmakeraw(&raw);
    ::tcsetattr(fd, TCSANOW, &raw); // NOW, not FLUSH: keys typed ahead are the console's
}

RawTerminal::~RawTerminal() { ::tcsetattr(m_fd, TCSANOW, &m_saved); }

PtySpec pty_of(int fd, const std::string& term) {
    PtySpec pty;
    pty.term = term.empty() ? "xterm" : term;
    pty.size_fd = fd;
    return resized(pty).value_or(pty);
}

} // namespace wm::cli
