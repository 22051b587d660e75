// ServerOps: what outlives deploys: the config store of `wm config`, the counts of `wm scale`,
// and reading back a release's facts (a config change re-releases the running slug).
#include <wm/base/error.hpp>
#include <wm/rack/server_commands.hpp>
#include <wm/rack/server_ops.hpp>

#include <fmt/format.h>

namespace wm::rack {

std::map<std::string, std::string> ServerOps::read_config_store(const AppEnv& ae,
                                                                const std::string& stack) {
    std::string out = run("config", read_store_command(m_layout.config_store_dir(ae, stack))).out;
    return at_step(server(), "config", [&] { return parse_store(out); });
}

std::string ServerOps::hash_key(const AppEnv& ae) {
    std::string out = run("config", hash_key_command(m_layout.config_store_dir(ae, ""))).out;
    return at_step(server(), "config", [&] { return parse_hash_key(out); });
}

void ServerOps::change_config_store(const AppEnv& ae, const std::string& stack,
                                    const ConfigChanges& changes) {
    std::string dir = m_layout.config_store_dir(ae, stack);
    run("config", prepare_store_command(dir));
    std::vector<std::string> unset;
    for (const auto& [name, value] : changes) {
        if (!value) {
            unset.push_back(name);
            continue;
        }
        at_step(server(), "config",
                [&] { m_transport.write_file(dir + "/" + name, *value, 0600); });
    }
    if (!unset.empty()) {
        run("config", unset_store_command(dir, unset));
    }
}

nlohmann::json ServerOps::read_release_json(const AppEnv& ae, const std::string& stack,
                                            int version) {
    std::string path = m_layout.release_dir(ae, stack, version) + "/release.json";
    auto r = m_transport.run(cat_command(path));
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    if (!r.ok() || j.is_discarded() || !j.is_object()) {
        fail_step("release", fmt::format("cannot read {} (deploy the stack again)", path));
    }
    return j;
}

ScaleSettings ServerOps::read_scale(const AppEnv& ae, const std::string& stack) {
    auto r = m_transport.run(cat_command(m_layout.scale_file(ae, stack)));
    return r.ok() ? scale_from_json(r.out) : ScaleSettings{};
}

void ServerOps::write_scale(const AppEnv& ae, const std::string& stack,
                            const ScaleSettings& settings) {
    run("scale", make_dirs_command({m_layout.stack_dir(ae, stack)}));
    at_step(server(), "scale", [&] {
        m_transport.write_file(m_layout.scale_file(ae, stack), scale_to_json(settings), 0600);
    });
}

} // namespace wm::rack
