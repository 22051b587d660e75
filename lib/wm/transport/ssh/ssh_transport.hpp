#pragma once
// Transport over one libssh2 session: every call opens a channel on the same connection.

#include <wm/transport/factory.hpp>
#include <wm/transport/ssh/commands.hpp>
#include <wm/transport/ssh/handles.hpp>
#include <wm/transport/ssh/jump.hpp>
#include <wm/transport/ssh/ssh_config.hpp>

namespace wm::transport::ssh {

/// An authenticated SSH connection to one server. Calls run one at a time.
class SshTransport : public Transport {
  public:
    /// Connects, verifies the host key and authenticates; throws Error naming the server.
    SshTransport(const SshTarget& server, const SshOptions& opts, Reporter& reporter);

    std::string name() const override { return m_name; }
    RunResult run(const std::string& command, const RunOptions& options = {}) override;
    void upload(const std::filesystem::path& local, const std::string& remote_path,
                unsigned mode = 0644, const ProgressFn& progress = {}) override;
    void write_file(const std::string& remote_path, std::string_view data,
                    unsigned mode = 0644) override;
    std::string read_file(const std::string& remote_path) override;

  private:
    /// The socket the server's session runs over: TCP to it, or the last jump host's tunnel.
    Socket connect_through(const std::vector<SshTarget>& hops, const Resolved& target,
                           const SshOptions& opts, Reporter& reporter, Deadline deadline);
    /// After connecting as `user` (not root): checks that `sudo -n` works, then runs every
    /// command through it. Throws Error saying what the server needs when it does not.
    void become_root_with_sudo(const std::string& user);
    /// A channel running `line`, on a pseudo-terminal of the server when `pty` is set.
    ChannelPtr open_exec(const std::string& line, const std::optional<PtySpec>& pty = {});
    /// Writes `local` to `tmp` over SFTP, created exclusively with `mode`, as the login user.
    void sftp_put(const std::filesystem::path& local, const std::string& tmp, unsigned mode,
                  const ProgressFn& progress);
    std::string home(); ///< the login user's home directory (SFTP realpath of "."), asked once
    LIBSSH2_SFTP* sftp();
    /// Writes `data` to the command's stdin (blocking), then EOF when `eof`.
    void send_stdin(LIBSSH2_CHANNEL* ch, std::string_view data, bool eof);
    /// Passes on what `fd` has ready now; returns false once it ended (EOF sent).
    bool pump_stdin(LIBSSH2_CHANNEL* ch, int fd);
    [[noreturn]] void fail_here(const std::string& what) const;

    std::string m_name;
    std::string m_address;
    int m_port = 22;
    Library m_library;                              // before the session: destroyed after it
    std::vector<std::unique_ptr<Tunnel>> m_tunnels; // jump hosts: destroyed after the socket
    Socket m_socket;
    SessionPtr m_session;
    SftpPtr m_sftp;
    Privilege m_privilege = Privilege::root;
    std::string m_home; ///< cached by home()
};

} // namespace wm::transport::ssh
