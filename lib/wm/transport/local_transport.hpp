#pragma once
// The `local` rack's transport: commands run with /bin/sh -c on this machine, files are copied.

#include <wm/base/process.hpp>
#include <wm/transport/transport.hpp>

#include <memory>

namespace wm::transport {

/// Runs everything on this machine. Uses `runner` if given (tests), else a PosixProcessRunner.
class LocalTransport : public Transport {
  public:
    /// `name` is what errors and events call it; `runner`, when given, must outlive it.
    explicit LocalTransport(std::string name = "local", ProcessRunner* runner = nullptr);

    std::string name() const override { return m_name; }
    RunResult run(const std::string& command, const RunOptions& options = {}) override;
    void upload(const std::filesystem::path& local, const std::string& remote_path,
                unsigned mode = 0644, const ProgressFn& progress = {}) override;
    void write_file(const std::string& remote_path, std::string_view data,
                    unsigned mode = 0644) override;
    std::string read_file(const std::string& remote_path) override;

  private:
    std::string m_name;
    PosixProcessRunner m_own_runner;
    ProcessRunner* m_runner;
};

} // namespace wm::transport
