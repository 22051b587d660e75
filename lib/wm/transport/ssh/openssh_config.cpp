// OpenSSH's own resolution of a host (`ssh -G`): the command line and the reading of its output.
#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/transport/ssh/ssh_config.hpp>

#include <fmt/format.h>

#include <sstream>

namespace wm::transport::ssh {

namespace {

// What OpenSSH lists when no IdentityFile is configured; wm's default key list covers these.
bool default_identity(const std::string& file) {
    static const char* const k_defaults[] = {
        "~/.ssh/id_rsa",        "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk", "~/.ssh/id_ed25519",
        "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss",  "~/.ssh/id_dsa"};
    for (const char* d : k_defaults) {
        if (file == d) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, sep);) {
        if (!item.empty()) {
            out.push_back(item);
        }
    }
    return out;
}

void apply(Resolved& r, const std::string& key, const std::string& value,
           std::vector<std::string>& identities) {
    if (key == "hostname") {
        r.address = value;
    } else if (key == "user") {
        r.user = value;
    } else if (key == "port") {
        r.port = std::atoi(value.c_str());
    } else if (key == "identityfile" && !default_identity(value)) {
        identities.push_back(value);
    } else if (key == "proxyjump" && value != "none") {
        r.proxy_jump = split(value, ',');
    } else if (key == "userknownhostsfile") {
        std::string first = split(value, ' ').front();
        std::string name = std::filesystem::path(first).filename().string();
        if (name != "known_hosts" && name != "known_hosts2") {
            r.user_known_hosts = first;
        }
    }
}

} // namespace

std::vector<std::string> ssh_g_argv(const std::filesystem::path& ssh_program,
                                    const SshTarget& server, const std::filesystem::path& config) {
    std::vector<std::string> argv = {ssh_program.string(), "-G", "-F",
                                     config.empty() ? "none" : config.string()};
    if (!server.user.empty()) {
        argv.insert(argv.end(), {"-l", server.user});
    }
    if (server.port > 0) {
        argv.insert(argv.end(), {"-p", std::to_string(server.port)});
    }
    argv.insert(argv.end(), {"--", server.address});
    return argv;
}

Resolved parse_ssh_g(const std::string& output, const SshTarget& server,
                     const std::string& login_user, const std::filesystem::path& home) {
    Resolved r;
    r.address = server.address;
    std::vector<std::string> identities;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
        size_t space = line.find(' ');
        if (space != std::string::npos) {
            apply(r, line.substr(0, space), line.substr(space + 1), identities);
        }
    }
    if (!server.user.empty()) {
        r.user = server.user;
    } else if (r.user.empty() || r.user == login_user) {
        r.user = "root";
    }
    r.port = server.port > 0 ? server.port : r.port > 0 ? r.port : 22;
    if (!server.key.empty()) {
        r.identity_files.emplace_back(expand_path(server.key, home, server.address, r.user));
    }
    for (const auto& f : identities) {
        r.identity_files.emplace_back(expand_path(f, home, r.address, r.user));
    }
    return r;
}

Resolved resolve_target(const SshTarget& server, const SshOptions& opts) {
    std::filesystem::path config;
    if (!opts.ssh_config.empty() && std::filesystem::exists(opts.ssh_config)) {
        config = opts.ssh_config;
    }
    if (opts.runner == nullptr || opts.ssh_program.empty()) {
        std::string text = config.empty() ? "" : fs::read_file(config);
        return resolve(server, parse_ssh_config(text), opts.home);
    }
    ProcessSpec spec;
    spec.argv = ssh_g_argv(opts.ssh_program, server, config);
    spec.timeout = std::chrono::seconds(10); // a Match exec may run anything
    ProcessResult p = opts.runner->run(spec);
    if (p.exit_code != 0) {
        std::string why = p.err.substr(0, p.err.find('\n')); // the rest repeats it
        fail("resolving {} with `ssh -G`: {}", server.address,
             why.empty() ? fmt::format("exit status {}", p.exit_code) : why);
    }
    return parse_ssh_g(p.out, server, opts.login_user, opts.home);
}

} // namespace wm::transport::ssh
