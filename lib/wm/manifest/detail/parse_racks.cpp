// widemesh.yaml, `racks`: each rack, its provider and servers, and jump hosts.
#include <wm/manifest/checks.hpp>
#include <wm/manifest/detail/manifest_parser.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace wm::manifest::detail {

ServerSpec ManifestParser::server_text(std::string text, const std::string& path) {
    ServerSpec s;
    const std::string whole = text;
    if (auto at = text.find('@'); at != std::string::npos) {
        s.user = text.substr(0, at);
        text = text.substr(at + 1);
    }
    if (auto colon = text.rfind(':'); colon != std::string::npos && text.find(':') == colon) {
        auto digits = text.substr(colon + 1);
        bool ok = !digits.empty() && digits.size() <= 5 &&
                  digits.find_first_not_of("0123456789") == std::string::npos;
        int port = ok ? std::stoi(digits) : 0;
        if (!ok) {
            m_diag.add(path, fmt::format("invalid port \"{}\" in \"{}\"", digits, whole));
        } else if (port < 1 || port > 65535) {
            m_diag.add(join_path(path, "port"), fmt::format("port {} out of range 1-65535", port));
        } else {
            s.port = port;
        }
        text = text.substr(0, colon);
    }
    s.address = text;
    if (s.address.empty()) {
        m_diag.add(path, fmt::format("server \"{}\" has no host", whole));
    }
    return s;
}

// A jump host reaches ssh the way a server does, so it is checked like one.
std::string ManifestParser::jump(const YAML::Node& node, const std::string& path) {
    auto text = m_read.string(node, path);
    if (!text) {
        return "";
    }
    ServerSpec s = server_text(*text, path);
    for (const std::string& p :
         {s.address.empty() ? std::string() : server_address_problem(s.address),
          s.user.empty() ? std::string() : login_name_problem(s.user)}) {
        if (!p.empty()) {
            m_diag.add(path, p);
        }
    }
    return *text;
}

ServerSpec ManifestParser::server(const YAML::Node& node, const std::string& path) {
    if (node.IsScalar()) {
        return server_text(node.Scalar(), path);
    }
    ServerSpec s;
    std::optional<int> port; // absent: ~/.ssh/config's Port, else 22
    m_read.fields(node, path, {"address", "user", "port", "key", "name", "jump"}, {"address"},
                  [&](const std::string& k, const YAML::Node& v, const std::string& p) {
                      if (k == "port") {
                          port = m_read.integer(v, p);
                      } else if (k == "jump") {
                          s.jump = jump(v, p);
                      } else {
                          auto value = m_read.string(v, p);
                          assign(k == "address" ? s.address
                                 : k == "user"  ? s.user
                                 : k == "key"   ? s.key
                                                : s.name,
                                 value);
                      }
                  });
    if (port && (*port < 1 || *port > 65535)) {
        m_diag.add(join_path(path, "port"), fmt::format("port {} out of range 1-65535", *port));
    } else if (port) {
        s.port = *port;
    }
    return s;
}

void ManifestParser::provider(RackSpec& r, const YAML::Node& node, const std::string& path) {
    auto word = m_read.string(node, path);
    if (!word) {
        return;
    }
    if (auto p = provider_from_string(*word)) {
        r.provider = *p;
    } else {
        m_diag.add(path,
                   fmt::format("unknown provider \"{}\" (known: {})", *word, provider_names()));
    }
}

RackSpec ManifestParser::rack(const std::string& rack_name, const YAML::Node& node,
                              const std::string& path) {
    RackSpec r;
    r.name = rack_name;
    r.mark = m_diag.where(path);
    r.provider = rack_name == k_local_rack ? Provider::local : Provider::static_hosts;
    name(rack_name, path);
    m_read.fields(
        node, path,
        {"provider", "region", "alias_domain", "servers", "http_port", "https_port", "jump"}, {},
        [&](const std::string& k, const YAML::Node& v, const std::string& p) {
            if (k == "jump") {
                r.jump = jump(v, p);
            } else if (k == "servers") {
                m_read.elements(
                    v, p, "a list of servers",
                    [&](const std::string&, const YAML::Node& sv, const std::string& sp) {
                        r.servers.push_back(server(sv, sp));
                    });
            } else if (k == "http_port" || k == "https_port") {
                assign(k == "http_port" ? r.http_port : r.https_port, m_read.integer(v, p));
            } else if (k == "provider") {
                provider(r, v, p);
            } else {
                assign(k == "region" ? r.region : r.alias_domain, m_read.string(v, p));
            }
        });
    return r;
}

} // namespace wm::manifest::detail
