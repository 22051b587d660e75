#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/transport/ssh/auth.hpp>
#include <wm/transport/ssh/host_keys.hpp>

#include <algorithm>
#include <cstdint>

namespace wm::transport::ssh {

namespace {

constexpr char k_openssh_begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----";

/// Reads SSH wire-format strings (uint32 length + bytes) from a blob.
struct WireReader {
    std::string_view data;
    std::string str() {
        if (data.size() < 4) {
            data = {};
            return {};
        }
        std::uint32_t n = (static_cast<std::uint8_t>(data[0]) << 24) |
                          (static_cast<std::uint8_t>(data[1]) << 16) |
                          (static_cast<std::uint8_t>(data[2]) << 8) |
                          static_cast<std::uint8_t>(data[3]);
        data.remove_prefix(4);
        n = std::min<std::uint32_t>(n, static_cast<std::uint32_t>(data.size()));
        std::string out(data.substr(0, n));
        data.remove_prefix(n);
        return out;
    }
};

KeyInfo describe_openssh(const std::string& text) {
    size_t start = text.find(k_openssh_begin) + sizeof k_openssh_begin - 1;
    size_t end = text.find("-----END", start);
    std::string b64;
    for (char c : text.substr(start, end - start)) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            b64 += c;
        }
    }
    std::string blob = base64_decode(b64);
    constexpr std::string_view magic("openssh-key-v1\0", 15);
    if (blob.compare(0, magic.size(), magic) != 0) {
        return {};
    }
    WireReader r{std::string_view(blob).substr(magic.size())};
    KeyInfo info;
    info.encrypted = r.str() != "none";
    r.str();                                                  // kdf name
    r.str();                                                  // kdf options
    r.data.remove_prefix(std::min<size_t>(4, r.data.size())); // number of keys
    std::string pub_blob = r.str();
    WireReader pub{pub_blob};
    info.type = pub.str();
    return info;
}

/// Authentication attempts so far, for the final error message.
struct Attempts {
    std::vector<std::string> notes;
    bool rsa_refused = false;
};

bool try_agent(LIBSSH2_SESSION* s, int fd, Deadline dl, const AuthInput& in, Attempts& a) {
    AgentPtr agent(libssh2_agent_init(s));
    if (!agent) {
        a.notes.push_back("ssh-agent: " + last_error(s));
        return false;
    }
    libssh2_agent_set_identity_path(agent.get(), in.agent_socket.c_str());
    if (libssh2_agent_connect(agent.get()) != 0 || libssh2_agent_list_identities(agent.get())) {
        a.notes.push_back("ssh-agent: " + last_error(s));
        return false;
    }
    int tried = 0;
    libssh2_agent_publickey* prev = nullptr;
    libssh2_agent_publickey* id = nullptr;
    while (libssh2_agent_get_identity(agent.get(), &id, prev) == 0) {
        ++tried;
        if (retry_eagain(s, fd, dl, [&] {
                return libssh2_agent_userauth(agent.get(), in.user.c_str(), id);
            }) == 0) {
            return true;
        }
        prev = id;
    }
    a.notes.push_back(fmt::format("ssh-agent: {} key(s) refused", tried));
    return false;
}

bool try_key(LIBSSH2_SESSION* s, int fd, Deadline dl, const std::filesystem::path& key,
             const AuthInput& in, Attempts& a) {
    KeyInfo info = describe_private_key(fs::read_file(key));
    std::string passphrase;
    if (info.encrypted && !in.prompt) {
        a.notes.push_back(key.string() +
                          ": encrypted, and no terminal to ask for its passphrase (add it to "
                          "ssh-agent)");
        return false;
    }
    if (info.encrypted) {
        passphrase = in.prompt(fmt::format("passphrase for {}: ", key.string()));
    }
    int rc = retry_eagain(s, fd, dl, [&] {
        return libssh2_userauth_publickey_fromfile_ex(
            s, in.user.c_str(), static_cast<unsigned>(in.user.size()), nullptr, key.c_str(),
            info.encrypted ? passphrase.c_str() : nullptr);
    });
    if (rc == 0) {
        return true;
    }
    a.notes.push_back(fmt::format("{}: {}", key.string(), last_error(s)));
    a.rsa_refused = a.rsa_refused || info.type == "ssh-rsa";
    return false;
}

std::vector<std::filesystem::path> candidate_keys(const AuthInput& in, Attempts& a) {
    std::vector<std::filesystem::path> keys;
    auto add = [&](const std::filesystem::path& k, bool must_exist) {
        if (std::find(keys.begin(), keys.end(), k) != keys.end()) {
            return;
        }
        if (std::filesystem::exists(k)) {
            keys.push_back(k);
        } else if (must_exist) {
            a.notes.push_back(k.string() + ": no such file");
        }
    };
    for (const auto& k : in.explicit_keys) {
        add(k, true);
    }
    for (const auto& k : in.default_keys) {
        add(k, false);
    }
    return keys;
}

} // namespace

KeyInfo describe_private_key(const std::string& text) {
    if (text.find(k_openssh_begin) != std::string::npos) {
        return describe_openssh(text);
    }
    bool encrypted = text.find("ENCRYPTED") != std::string::npos;
    if (text.find("BEGIN RSA PRIVATE KEY") != std::string::npos) {
        return {"ssh-rsa", encrypted};
    }
    if (text.find("BEGIN EC PRIVATE KEY") != std::string::npos) {
        return {"ecdsa", encrypted};
    }
    return {"", encrypted};
}

void authenticate(LIBSSH2_SESSION* s, int fd, Deadline dl, const AuthInput& in) {
    char* methods = retry_eagain_ptr(s, fd, dl, [&] {
        return libssh2_userauth_list(s, in.user.c_str(), static_cast<unsigned>(in.user.size()));
    });
    if (!methods) {
        if (libssh2_userauth_authenticated(s)) {
            return;
        }
        fail("asking which authentication methods {} may use: {}", in.user, last_error(s));
    }
    if (std::string(methods).find("publickey") == std::string::npos) {
        fail("the server does not accept public keys for {} (it offers: {})", in.user, methods);
    }
    Attempts a;
    if (!in.agent_socket.empty() && try_agent(s, fd, dl, in, a)) {
        return;
    }
    for (const auto& key : candidate_keys(in, a)) {
        if (try_key(s, fd, dl, key, in, a)) {
            return;
        }
    }
    if (a.notes.empty()) {
        a.notes.push_back("no ssh-agent and no key file (~/.ssh/id_ed25519, ~/.ssh/id_ecdsa)");
    }
    Error e(fmt::format("authentication as {} failed: {}", in.user, fmt::join(a.notes, "; ")));
    if (a.rsa_refused) {
        e = e.with_hint("libssh2 1.10 signs RSA keys only with ssh-rsa (SHA-1), which OpenSSH >= "
                        "8.8 refuses; use an ed25519 key (ssh-keygen -t ed25519) instead");
    }
    throw e;
}

} // namespace wm::transport::ssh
