#include <wm/transport/counting.hpp>

namespace wm::transport {

RunResult CountingTransport::run(const std::string& command, const RunOptions& options) {
    ++m_count;
    return m_inner->run(command, options);
}

void CountingTransport::upload(const std::filesystem::path& local, const std::string& remote_path,
                               unsigned mode, const ProgressFn& progress) {
    ++m_count;
    m_inner->upload(local, remote_path, mode, progress);
}

void CountingTransport::write_file(const std::string& remote_path, std::string_view data,
                                   unsigned mode) {
    ++m_count;
    m_inner->write_file(remote_path, data, mode);
}

std::string CountingTransport::read_file(const std::string& remote_path) {
    ++m_count;
    return m_inner->read_file(remote_path);
}

} // namespace wm::transport
