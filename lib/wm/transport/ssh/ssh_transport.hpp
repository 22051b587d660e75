#pragma once
// Transport over one libssh2 session: every call opens a channel on the same connection.

#include <wm/transport/factory.hpp>
#include <wm/transport/ssh/handles.hpp>

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
    void open_session(const SshOptions& opts, Reporter& reporter, Deadline deadline);
    ChannelPtr open_exec(const std::string& line);
    LIBSSH2_SFTP* sftp();
    void send_stdin(LIBSSH2_CHANNEL* ch, std::string_view data);
    [[noreturn]] void fail_here(const std::string& what) const;

    std::string m_name;
    std::string m_address;
    std::string m_user;
    int m_port = 22;
    std::vector<std::filesystem::path> m_explicit_keys;
    Library m_library; // before the session: destroyed after it
    Socket m_socket;
    SessionPtr m_session;
    SftpPtr m_sftp;
};

} // namespace wm::transport::ssh
