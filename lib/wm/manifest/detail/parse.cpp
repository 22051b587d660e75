// widemesh.yaml, the top-level keys (app, build, keep_releases and the sections) and the
// config maps every section shares.
#include <wm/manifest/checks.hpp>
#include <wm/manifest/detail/documents.hpp>
#include <wm/manifest/detail/manifest_parser.hpp>
#include <wm/manifest/detail/parse.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>

namespace wm::manifest::detail {

void ManifestParser::name(const std::string& value, const std::string& path, bool is_value) {
    if (auto p = dns_label_problem(value); !p.empty()) {
        m_diag.add(is_value ? m_diag.where(path) : m_diag.key_where(path), path,
                   "invalid name: " + p);
    }
}

void ManifestParser::build_mode(const std::string& value, const std::string& path) {
    bool server = value.rfind("server ", 0) == 0 && value.size() > 7;
    if (!value.empty() && value != "local" && value != "rack" && !server) {
        m_diag.add(m_diag.where(path), path,
                   fmt::format("'{}' is not one of: local, rack, server NAME", value));
    }
}

std::map<std::string, std::string> ManifestParser::config(const YAML::Node& node,
                                                          const std::string& path) {
    auto values = m_read.string_map(node, path);
    if (!values) {
        return {};
    }
    for (const auto& [key, value] : *values) {
        bool ok = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
        for (char c : key) {
            ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
        }
        if (!ok) {
            m_diag.add(join_path(path, key),
                       fmt::format("invalid variable name \"{}\" (letters, digits and "
                                   "underscores, not starting with a digit)",
                                   key));
        } else if (auto problem = env_var_problem(key, value); !problem.empty()) {
            m_diag.add(join_path(path, key), problem);
        }
    }
    return *values;
}

Manifest ManifestParser::parse(const YAML::Node& root) {
    Manifest m;
    m_diag.remember("", mark_of(root, {1, 1}));
    if (root.IsNull()) {
        m_diag.add("", "missing required key \"app\" (the file is empty)");
        return m;
    }
    m_read.fields(
        root, "", {"app", "racks", "environments", "stacks", "endpoints", "keep_releases", "build"},
        {"app"}, [&](const std::string& k, const YAML::Node& v, const std::string& p) {
            if (k == "app") {
                if (auto app = m_read.string(v, p)) {
                    m.app = *app;
                    name(m.app, p, true);
                }
            } else if (k == "build") {
                assign(m.build, m_read.string(v, p));
                build_mode(m.build, p);
            } else if (k == "keep_releases") {
                assign(m.keep_releases, m_read.integer(v, p));
                if (m.keep_releases < 1) {
                    m_diag.add(p,
                               fmt::format("keep_releases {} must be at least 1", m.keep_releases));
                }
            } else {
                m_read.entries(v, p, k.substr(0, k.size() - 1),
                               [&](const std::string& n, const YAML::Node& ev,
                                   const std::string& ep) { add_entry(m, k, n, ev, ep); });
            }
        });
    return m;
}

void ManifestParser::add_entry(Manifest& m, const std::string& section, const std::string& n,
                               const YAML::Node& node, const std::string& path) {
    if (section == "racks") {
        m.racks.push_back(rack(n, node, path));
    } else if (section == "environments") {
        m.environments.push_back(environment(n, node, path));
    } else if (section == "stacks") {
        m.stacks.push_back(stack(n, node, path));
    } else {
        m.endpoints.push_back(endpoint(n, node, path));
    }
}

std::optional<Manifest> parse_manifest(std::string_view text, Diagnostics& diag) {
    std::optional<std::vector<YAML::Node>> documents = load_documents(text, diag);
    if (!documents) {
        return std::nullopt;
    }
    if (documents->size() > 1) {
        diag.add(mark_of((*documents)[1], {1, 1}), "",
                 fmt::format("expected one YAML document, got {} (separated by \"---\")",
                             documents->size()));
    }
    return ManifestParser(diag).parse(documents->empty() ? YAML::Node() : documents->front());
}

} // namespace wm::manifest::detail
