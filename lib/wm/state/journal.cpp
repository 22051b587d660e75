#include <wm/base/error.hpp>
#include <wm/state/journal.hpp>

#include <algorithm>
#include <charconv>

namespace wm::state {

namespace {

/// The N of "v<N>.json", or -1 for any other name.
int version_of(const std::string& name) {
    if (name.size() < 7 || name[0] != 'v' || !name.ends_with(".json")) {
        return -1;
    }
    int n = -1;
    const char* first = name.data() + 1;
    const char* last = name.data() + name.size() - 5;
    auto [end, ec] = std::from_chars(first, last, n);
    return ec == std::errc() && end == last ? n : -1;
}

void check_key(const JournalKey& key) {
    for (const auto* part : {&key.app, &key.environment, &key.stack}) {
        if (part->empty() || part->find('/') != std::string::npos || *part == "." ||
            *part == "..") {
            fail("journal: invalid name \"{}\"", *part);
        }
    }
}

} // namespace

std::filesystem::path Journal::file(const JournalKey& key, int version) const {
    check_key(key);
    return std::filesystem::path("journal") / key.app / key.environment / key.stack /
           ("v" + std::to_string(version) + ".json");
}

int Journal::append(Deployment d, const std::string& log) const {
    auto known = versions(key_of(d));
    d.version = known.empty() ? 0 : known.back() + 1;
    write(d, log);
    return d.version;
}

void Journal::write(const Deployment& d, const std::string& log) const {
    if (d.version < 0) {
        fail("journal: invalid version {}", d.version);
    }
    nlohmann::json record = to_json(d);
    record["log"] = log;
    m_store.write_record(file(key_of(d), d.version), std::move(record));
}

std::optional<Deployment> Journal::read(const JournalKey& key, int version,
                                        std::string* log) const {
    auto path = file(key, version);
    std::optional<nlohmann::json> record = m_store.read_record(path);
    if (!record) {
        return std::nullopt;
    }
    if (log) {
        *log = record->value("log", "");
    }
    return with_context(path.string(), [&] { return deployment_from_json(*record); });
}

std::vector<int> Journal::versions(const JournalKey& key) const {
    auto dir = m_store.root() / file(key, 0).parent_path();
    std::vector<int> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (int n = version_of(entry.path().filename().string()); n >= 0) {
            out.push_back(n);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<Deployment> Journal::list(const JournalKey& key) const {
    std::vector<Deployment> out;
    for (int v : versions(key)) {
        if (auto record = read(key, v)) {
            out.push_back(std::move(*record));
        }
    }
    return out;
}

} // namespace wm::state
