#include <wm/ops/remote_build.hpp>
#include <wm/ops/services.hpp>
#include <wm/state/journal.hpp>
#include <wm/state/store.hpp>

namespace wm::ops {

namespace {

class RealBuilder : public StackBuilder {
  public:
    explicit RealBuilder(ProcessRunner& runner) : m_runner(runner) {}
    build::BuildResult build(const build::BuildRequest& request, Reporter& reporter) override {
        return build::build_stack(request, m_runner, reporter);
    }
    build::BuildResult build_on(Server& builder, const AppEnv& app_env,
                                const build::BuildRequest& request, Reporter& reporter) override {
        return build_on_server(builder, app_env, request, m_runner, reporter);
    }
    std::vector<build::RunNeed> run_needs(const build::BuildRequest& request,
                                          Reporter& reporter) override {
        return build::stack_run_needs(request, m_runner, reporter);
    }

  private:
    ProcessRunner& m_runner;
};

// Mirrors the servers' numbering: the record's own version is the journal's key.
class StateJournal : public Journal {
  public:
    explicit StateJournal(std::filesystem::path root) : m_store(std::move(root)) {}
    void record(const Deployment& deployment, const std::string& log) override {
        fs::FileLock lock = m_store.lock();
        state::Journal(m_store).write(deployment, log);
    }

  private:
    state::Store m_store;
};

} // namespace

RealServices::RealServices(ServicesConfig config, Reporter& reporter, ProcessRunner& runner,
                           Clock& clock)
    : m_connector(std::make_unique<RackConnector>(config.state_dir, config.ssh,
                                                  config.identity.control_host, config.cancel)),
      m_builder(std::make_unique<RealBuilder>(runner)),
      m_journal(std::make_unique<StateJournal>(config.state_dir)),
      m_env{reporter,     clock,           *m_connector,     *m_builder,
            *m_journal,   config.identity, config.state_dir, config.parallelism,
            config.cancel} {}

RealServices::~RealServices() = default;

} // namespace wm::ops
