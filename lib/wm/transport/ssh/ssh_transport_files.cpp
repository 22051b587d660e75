// SshTransport, files: uploads over SFTP (then renamed into place, or adopted by root through
// sudo), small files through a command's stdin, reads over SFTP or `cat`.
#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/base/process.hpp>
#include <wm/transport/ssh/commands.hpp>
#include <wm/transport/ssh/ssh_transport.hpp>

#include <fstream>
#include <random>

namespace wm::transport::ssh {

namespace {

constexpr size_t k_block = 1 << 20; // SFTP writes: 4 KiB blocks are round-trip bound

std::string sftp_error(LIBSSH2_SESSION* session, LIBSSH2_SFTP* sftp) {
    if (libssh2_session_last_errno(session) != LIBSSH2_ERROR_SFTP_PROTOCOL) {
        return last_error(session);
    }
    switch (libssh2_sftp_last_error(sftp)) {
    case LIBSSH2_FX_NO_SUCH_FILE:
        return "no such file or directory";
    case LIBSSH2_FX_PERMISSION_DENIED:
        return "permission denied";
    case LIBSSH2_FX_FILE_ALREADY_EXISTS:
        return "file exists";
    case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM:
        return "no space left on device";
    default:
        return fmt::format("sftp status {}", libssh2_sftp_last_error(sftp));
    }
}

} // namespace

LIBSSH2_SFTP* SshTransport::sftp() {
    if (!m_sftp) {
        m_sftp.reset(libssh2_sftp_init(m_session.get()));
        if (!m_sftp) {
            fail_here("starting sftp: " + last_error(m_session.get()));
        }
    }
    return m_sftp.get();
}

void SshTransport::upload(const std::filesystem::path& local, const std::string& remote_path,
                          unsigned mode, const ProgressFn& progress) {
    if (m_privilege == Privilege::root) {
        std::string tmp = temp_name(remote_path, std::random_device{}());
        sftp_put(local, tmp, mode, progress);
        RunResult r = run(rename_command(tmp, remote_path));
        if (!r.ok()) {
            libssh2_sftp_unlink(m_sftp.get(), tmp.c_str());
            fail_here(fmt::format("renaming {} into place: {}", remote_path, r.err));
        }
        return;
    }
    // SFTP writes as the login user: into their home, then root takes the file over.
    std::string mine = home() + "/" + temp_name(".wm-upload", std::random_device{}());
    sftp_put(local, mine, 0600, progress);
    RunResult r = run(adopt_upload_command(mine, temp_name(remote_path, std::random_device{}()),
                                           remote_path, mode));
    if (!r.ok()) {
        fail_here(fmt::format("moving {} into place: {}", remote_path, r.err));
    }
}

void SshTransport::sftp_put(const std::filesystem::path& local, const std::string& tmp,
                            unsigned mode, const ProgressFn& progress) {
    std::ifstream in(local, std::ios::binary);
    if (!in) {
        fail("reading {}: cannot open", local.string());
    }
    std::uint64_t total = std::filesystem::file_size(local), sent = 0;
    SftpHandlePtr h(libssh2_sftp_open(sftp(), tmp.c_str(),
                                      LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL,
                                      static_cast<long>(mode)));
    if (!h) {
        fail_here(fmt::format("creating {}: {}", tmp, sftp_error(m_session.get(), m_sftp.get())));
    }
    std::vector<char> buf(k_block);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        std::string_view chunk(buf.data(), static_cast<size_t>(in.gcount()));
        while (!chunk.empty()) {
            ssize_t n = libssh2_sftp_write(h.get(), chunk.data(), chunk.size());
            if (n < 0) {
                std::string why = sftp_error(m_session.get(), m_sftp.get());
                h.reset();
                libssh2_sftp_unlink(m_sftp.get(), tmp.c_str());
                fail_here(fmt::format("writing {}: {}", tmp, why));
            }
            chunk.remove_prefix(static_cast<size_t>(n));
            sent += static_cast<std::uint64_t>(n);
        }
        if (progress) {
            progress(sent, total);
        }
    }
}

std::string SshTransport::home() {
    if (!m_home.empty()) {
        return m_home;
    }
    char buf[4096];
    int n = libssh2_sftp_realpath(sftp(), ".", buf, sizeof buf);
    if (n <= 0) {
        fail_here("finding the login user's home: " + sftp_error(m_session.get(), m_sftp.get()));
    }
    m_home.assign(buf, static_cast<size_t>(n));
    return m_home;
}

void SshTransport::write_file(const std::string& remote_path, std::string_view data,
                              unsigned mode) {
    std::string tmp = temp_name(remote_path, std::random_device{}());
    RunOptions o;
    o.stdin_data = std::string(data);
    RunResult r = run(write_file_command(remote_path, tmp, mode), o);
    if (!r.ok()) {
        fail_here(fmt::format("writing {}: {}", remote_path, r.err));
    }
}

std::string SshTransport::read_file(const std::string& remote_path) {
    if (m_privilege == Privilege::sudo) { // root's files: SFTP runs as the login user
        RunResult r = run("cat " + shell_quote(remote_path));
        if (!r.ok()) {
            fail_here(
                fmt::format("reading {}: {}", remote_path, r.err.substr(0, r.err.find('\n'))));
        }
        return r.out;
    }
    SftpHandlePtr h(libssh2_sftp_open(sftp(), remote_path.c_str(), LIBSSH2_FXF_READ, 0));
    if (!h) {
        fail_here(
            fmt::format("reading {}: {}", remote_path, sftp_error(m_session.get(), m_sftp.get())));
    }
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = libssh2_sftp_read(h.get(), buf, sizeof buf);
        if (n < 0) {
            fail_here(fmt::format("reading {}: {}", remote_path,
                                  sftp_error(m_session.get(), m_sftp.get())));
        }
        if (n == 0) {
            return out;
        }
        out.append(buf, static_cast<size_t>(n));
    }
}

} // namespace wm::transport::ssh
