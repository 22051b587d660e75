// ServerOps: deployment records and their output, stored beside the stack's releases.
#include <wm/base/error.hpp>
#include <wm/rack/retention.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_ops.hpp>

#include <fmt/format.h>

namespace wm::rack {

void ServerOps::record_deployment(const AppEnv& ae, const std::string& stack, int version,
                                  const Deployment& record, const std::string& log) {
    run("record", make_dirs_command({m_layout.deployments_dir(ae, stack)}));
    std::string base = deployment_base(m_layout, ae, stack, version);
    at_step(server(), "record", [&] {
        m_transport.write_file(base + ".json", to_json(record).dump(2) + "\n");
        m_transport.write_file(base + ".log", log);
    });
}

std::vector<Deployment> ServerOps::read_deployments(const AppEnv& ae, const std::string& stack) {
    return parse_deployments(
        run("read deployments", read_deployments_command(m_layout, ae, stack)).out);
}

std::optional<Deployment> ServerOps::read_deployment(const AppEnv& ae, const std::string& stack,
                                                     int version, std::string* log) {
    std::string base = deployment_base(m_layout, ae, stack, version);
    auto r = m_transport.run(cat_command(base + ".json"));
    if (!r.ok()) {
        return std::nullopt;
    }
    if (log) {
        *log = m_transport.run(cat_command(base + ".log")).out;
    }
    try {
        return deployment_from_json(nlohmann::json::parse(r.out));
    } catch (const std::exception& e) {
        fail_step("read deployment", fmt::format("malformed {}.json: {}", base, e.what()));
    }
}

} // namespace wm::rack
