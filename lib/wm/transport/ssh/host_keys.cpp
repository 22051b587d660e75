#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/transport/ssh/host_keys.hpp>

#include <sstream>
#include <vector>

namespace wm::transport::ssh {

namespace {

constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct KeyKind {
    int knownhost_bit;
    const char* name;
};

KeyKind key_kind(int hostkey_type) {
    switch (hostkey_type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA:
        return {LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa"};
    case LIBSSH2_HOSTKEY_TYPE_DSS:
        return {LIBSSH2_KNOWNHOST_KEY_SSHDSS, "ssh-dss"};
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
        return {LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256"};
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
        return {LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384"};
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
        return {LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521"};
    case LIBSSH2_HOSTKEY_TYPE_ED25519:
        return {LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519"};
    default:
        return {LIBSSH2_KNOWNHOST_KEY_UNKNOWN, "unknown"};
    }
}

std::string hex_to_bytes(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return out;
}

/// What one known_hosts file says about the presented key.
struct Lookup {
    int result = LIBSSH2_KNOWNHOST_CHECK_NOTFOUND;
    std::string stored_key;  ///< base64, on a mismatch
    std::string stored_type; ///< e.g. "ssh-rsa", on a mismatch
};

// The key type name of a known_hosts entry's typemask (the inverse of key_kind).
const char* stored_type_name(int typemask) {
    for (int t : {LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_HOSTKEY_TYPE_DSS,
                  LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_HOSTKEY_TYPE_ECDSA_384,
                  LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_HOSTKEY_TYPE_ED25519}) {
        if (key_kind(t).knownhost_bit == (typemask & LIBSSH2_KNOWNHOST_KEY_MASK)) {
            return key_kind(t).name;
        }
    }
    return "unknown";
}

// One libssh2 lookup; `bit` 0 matches an entry of any key type (libssh2's knownhost_check
// then compares the keys, so a host recorded with another type reports a mismatch).
Lookup check_one(LIBSSH2_SESSION* session, LIBSSH2_KNOWNHOSTS* kh, const std::string& address,
                 int port, std::string_view key, int bit) {
    libssh2_knownhost* found = nullptr;
    int typemask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | bit;
    Lookup r;
    r.result = libssh2_knownhost_checkp(kh, address.c_str(), port, key.data(), key.size(), typemask,
                                        &found);
    if (r.result == LIBSSH2_KNOWNHOST_CHECK_FAILURE) {
        fail("cannot check host keys: {}", last_error(session));
    }
    if (r.result == LIBSSH2_KNOWNHOST_CHECK_MISMATCH && found && found->key) {
        r.stored_key = found->key;
        r.stored_type = stored_type_name(found->typemask);
    }
    return r;
}

Lookup check_file(LIBSSH2_SESSION* session, const std::filesystem::path& file,
                  const std::string& address, int port, std::string_view key, int bit) {
    KnownHostsPtr kh(libssh2_knownhost_init(session));
    if (!kh) {
        fail("cannot check host keys: {}", last_error(session));
    }
    if (libssh2_knownhost_readfile(kh.get(), file.c_str(), LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0) {
        fail("reading {}: {}", file.string(), last_error(session));
    }
    // A host recorded with a key of another type than the one presented is a changed key too
    // (a lookup by the presented type calls it unknown, which would record the new key).
    Lookup r = check_one(session, kh.get(), address, port, key, bit);
    if (r.result == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND) {
        Lookup any = check_one(session, kh.get(), address, port, key, 0);
        if (any.result == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
            return any;
        }
    }
    return r;
}

void refuse_changed(const std::string& server, const std::string& address, int port,
                    const std::filesystem::path& file, const Lookup& lookup, const char* type,
                    const std::string& presented_fp, bool is_wm_file) {
    std::string old_fp = fingerprint_sha256(base64_decode(lookup.stored_key));
    auto text = fs::read_file_if_exists(file).value_or("");
    auto line = find_known_hosts_line(text, address, port, lookup.stored_type);
    std::string where = line ? fmt::format("{}:{}", file.string(), *line) : file.string();
    std::string host = known_hosts_host(address, port);
    std::string who = host == server ? server : fmt::format("{} ({})", server, host);
    std::string fix = is_wm_file ? fmt::format("wm rack forget-host {}", host)
                                 : fmt::format("ssh-keygen -R '{}' -f {}", host, file.string());
    throw Error(fmt::format("host key of {} has changed: {} has {} {}, the server presented "
                            "{} {}; refusing to connect (the server was reinstalled, or someone "
                            "is intercepting the connection)",
                            who, where, lookup.stored_type, old_fp, type, presented_fp))
        .with_hint(fmt::format(
            "if the change is expected, run `{}`{} and connect again", fix,
            line ? fmt::format(" (or delete line {} of {})", *line, file.string()) : ""));
}

void record(const HostKeyPolicy& policy, const std::string& line) {
    fs::make_dirs(policy.known_hosts.parent_path(), 0700);
    std::filesystem::path lock_path = policy.known_hosts;
    lock_path += ".lock";
    fs::FileLock lock(lock_path, true);
    std::string text = fs::read_file_if_exists(policy.known_hosts).value_or("");
    if (!text.empty() && text.back() != '\n') {
        text += '\n';
    }
    fs::write_file_atomic(policy.known_hosts, text + line + "\n", 0600);
}

} // namespace

std::string base64_encode(std::string_view raw) {
    std::string out;
    size_t i = 0;
    for (; i + 2 < raw.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(raw[i]) << 16) |
                     (static_cast<unsigned char>(raw[i + 1]) << 8) |
                     static_cast<unsigned char>(raw[i + 2]);
        for (int s = 18; s >= 0; s -= 6) {
            out += k_alphabet[(v >> s) & 63];
        }
    }
    if (size_t rest = raw.size() - i; rest > 0) {
        unsigned v = static_cast<unsigned char>(raw[i]) << 16;
        if (rest == 2) {
            v |= static_cast<unsigned char>(raw[i + 1]) << 8;
        }
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += rest == 2 ? k_alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64_decode(std::string_view text) {
    std::string out;
    unsigned v = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') {
            break;
        }
        const char* p = std::char_traits<char>::find(k_alphabet, 64, c);
        if (!p) {
            return {};
        }
        v = (v << 6) | static_cast<unsigned>(p - k_alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((v >> bits) & 0xff);
        }
    }
    return out;
}

std::string fingerprint_sha256(std::string_view key_blob) {
    std::string b64 = base64_encode(hex_to_bytes(fs::sha256_hex(key_blob)));
    while (!b64.empty() && b64.back() == '=') {
        b64.pop_back();
    }
    return "SHA256:" + b64;
}

std::string known_hosts_host(const std::string& address, int port) {
    return port == 22 ? address : fmt::format("[{}]:{}", address, port);
}

std::optional<int> find_known_hosts_line(const std::string& text, const std::string& address,
                                         int port, const std::string& key_type) {
    std::string want = known_hosts_host(address, port);
    std::istringstream in(text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        std::istringstream words(line);
        std::string hosts, type;
        words >> hosts >> type;
        if (hosts.empty() || hosts[0] == '#' || hosts[0] == '@' || type != key_type) {
            continue;
        }
        std::istringstream names(hosts);
        for (std::string name; std::getline(names, name, ',');) {
            if (name == want) {
                return n;
            }
        }
    }
    return std::nullopt;
}

void verify_host_key(LIBSSH2_SESSION* session, const std::string& server,
                     const std::string& address, int port, const HostKeyPolicy& policy,
                     Reporter& reporter) {
    size_t len = 0;
    int type = 0;
    const char* key = libssh2_session_hostkey(session, &len, &type);
    if (!key) {
        fail("server {} sent no host key: {}", server, last_error(session));
    }
    KeyKind kind = key_kind(type);
    std::string_view blob(key, len);
    std::string fp = fingerprint_sha256(blob);
    std::vector<std::filesystem::path> files{policy.known_hosts, policy.user_known_hosts};
    for (size_t i = 0; i < files.size(); ++i) {
        if (files[i].empty() || !std::filesystem::exists(files[i])) {
            continue;
        }
        Lookup l = check_file(session, files[i], address, port, blob, kind.knownhost_bit);
        if (l.result == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
            return;
        }
        if (l.result == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
            refuse_changed(server, address, port, files[i], l, kind.name, fp, i == 0);
        }
    }
    std::string host = known_hosts_host(address, port);
    std::string who = host == server ? server : fmt::format("{} ({})", server, host);
    if (!policy.may_record && policy.confirm) {
        // OpenSSH's first-contact question (ssh(1), StrictHostKeyChecking=ask).
        std::string answer = policy.confirm(fmt::format(
            "The authenticity of host '{}' can't be established.\n{} key fingerprint is {}.\n"
            "Are you sure you want to continue connecting (yes/no)? ",
            who, kind.name, fp));
        if (answer != "yes") {
            throw Error(fmt::format("host key of {} was not accepted: {} {}", who, kind.name, fp))
                .with_hint("answer yes only after checking the fingerprint (e.g. on the "
                           "provider's console)");
        }
    } else if (!policy.may_record) {
        throw Error(fmt::format("host key of {} is not known: {} {}", who, kind.name, fp))
            .with_hint(fmt::format("check the fingerprint, then run again with --accept-new (or "
                                   "on a terminal, to be asked) to record it in {}",
                                   policy.known_hosts.string()));
    }
    record(policy, fmt::format("{} {} {}", host, kind.name, base64_encode(blob)));
    reporter.info(fmt::format("recorded new host key of {}: {} {}", who, kind.name, fp), server);
}

} // namespace wm::transport::ssh
