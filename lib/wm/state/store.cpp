#include <wm/base/error.hpp>
#include <wm/state/store.hpp>

#include <algorithm>

#include <sys/stat.h>

namespace wm::state {

Store::Store(std::filesystem::path root) : m_root(std::move(root)) {}

bool Store::exists() const {
    std::error_code ec;
    return std::filesystem::is_directory(m_root, ec);
}

fs::FileLock Store::lock(bool wait) const {
    fs::make_dirs(m_root, 0700);
    fs::make_dirs(locks_dir());
    return fs::FileLock(locks_dir() / "wm.lock", wait);
}

std::filesystem::path Store::inside(const std::filesystem::path& relative) const {
    bool escapes = std::any_of(relative.begin(), relative.end(),
                               [](const std::filesystem::path& part) { return part == ".."; });
    if (relative.empty() || relative.is_absolute() || escapes) {
        fail("state path \"{}\" must be relative to the state directory", relative.string());
    }
    return m_root / relative;
}

std::filesystem::path Store::ensure_dir(const std::filesystem::path& relative) const {
    fs::make_dirs(m_root, 0700);
    auto dir = inside(relative);
    fs::make_dirs(dir);
    return dir;
}

void Store::write_record(const std::filesystem::path& relative, nlohmann::json record) const {
    if (!record.is_object()) {
        fail("state record {}: expected a JSON object", relative.string());
    }
    record["schema"] = k_schema_version;
    auto path = inside(relative);
    fs::make_dirs(m_root, 0700);
    fs::make_dirs(path.parent_path());
    fs::write_file_atomic(path, record.dump(2) + "\n");
}

std::optional<nlohmann::json> Store::read_record(const std::filesystem::path& relative) const {
    auto path = inside(relative);
    auto text = fs::read_file_if_exists(path);
    if (!text) {
        return std::nullopt;
    }
    auto record = nlohmann::json::parse(*text, nullptr, false);
    if (record.is_discarded() || !record.is_object()) {
        fail("{}: not a JSON object (the file is damaged; move it away to start afresh)",
             path.string());
    }
    int schema = record.value("schema", 0);
    if (schema > k_schema_version) {
        fail("{}: record schema {} is newer than this wm understands ({}); upgrade wm",
             path.string(), schema, k_schema_version);
    }
    return record;
}

void Store::write_credential(const std::string& name, std::string_view data) const {
    auto path = inside(std::filesystem::path("credentials") / name);
    fs::make_dirs(m_root, 0700);
    fs::make_dirs(credentials_dir(), 0700);
    // make_dirs leaves an existing directory alone: tighten it in case it was made by hand.
    ::chmod(credentials_dir().c_str(), 0700);
    fs::make_dirs(path.parent_path(), 0700);
    fs::write_file_atomic(path, data, 0600);
}

std::optional<std::string> Store::read_credential(const std::string& name) const {
    return fs::read_file_if_exists(inside(std::filesystem::path("credentials") / name));
}

} // namespace wm::state
