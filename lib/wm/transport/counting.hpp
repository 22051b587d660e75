#pragma once
// Counts what a deploy asks of a server: every remote command and file transfer is one request
// and answer over the connection (a round trip), so the count says where a step's time goes.

#include <wm/transport/transport.hpp>

#include <atomic>
#include <memory>

namespace wm::transport {

/// Forwards every call to the transport it owns and counts them: run(), upload(), write_file()
/// and read_file() each add one round trip (an SFTP transfer takes a few packets more; it is
/// still one operation waiting on the server).
class CountingTransport : public Transport {
  public:
    /// Owns `inner` (not null); counts from zero.
    explicit CountingTransport(std::unique_ptr<Transport> inner) : m_inner(std::move(inner)) {}

    std::string name() const override { return m_inner->name(); }
    RunResult run(const std::string& command, const RunOptions& options = {}) override;
    void upload(const std::filesystem::path& local, const std::string& remote_path,
                unsigned mode = 0644, const ProgressFn& progress = {}) override;
    void write_file(const std::string& remote_path, std::string_view data,
                    unsigned mode = 0644) override;
    std::string read_file(const std::string& remote_path) override;

    /// Round trips since construction (readable from any thread).
    long round_trips() const { return m_count.load(); }

  private:
    std::unique_ptr<Transport> m_inner;
    std::atomic<long> m_count{0};
};

} // namespace wm::transport
