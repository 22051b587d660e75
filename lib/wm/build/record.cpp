#include <wm/base/fs.hpp>
#include <wm/base/hash.hpp>
#include <wm/build/record.hpp>

namespace wm::build {

namespace stdfs = std::filesystem;

std::string config_hash(const manifest::StackSpec& stack, const std::string& key) {
    nlohmann::json what = {{"path", stack.path},
                           {"buildpacks", stack.buildpacks},
                           {"config", stack.config},
                           {"release_command", stack.release_command},
                           {"wm_version", WM_VERSION}};
    return fs::hmac_sha256_hex(key, what.dump()).substr(0, 12);
}

stdfs::path record_path(const stdfs::path& state_dir, const std::string& stack,
                        const std::string& commit, const std::string& hash) {
    return state_dir / "cache" / "builds" / (stack + "-" + commit + "-" + hash + ".json");
}

nlohmann::json release_document(const std::string& stack, const BuildResult& r,
                                const std::string& hash) {
    return {{"schema", 1},
            {"stack", stack},
            {"commit", r.source.commit},
            {"short_commit", r.source.short_commit},
            {"subject", r.source.subject},
            {"author", r.source.author},
            {"dirty", r.source.dirty},
            {"buildpacks", r.buildpacks},
            {"process_types", r.process_types},
            {"release_command", r.release_command},
            {"config_hash", hash},
            {"wm_version", WM_VERSION},
            {"slug_sha256", r.sha256}};
}

void write_record(const stdfs::path& path, const BuildResult& r) {
    nlohmann::json doc = {
        {"schema", 1}, {"slug", r.slug_path.string()}, {"release", r.release_json}};
    fs::write_file_atomic(path, doc.dump(2) + "\n");
}

std::optional<BuildResult> read_record(const stdfs::path& path) {
    auto text = fs::read_file_if_exists(path);
    if (!text) {
        return std::nullopt;
    }
    nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded() || doc.value("schema", 0) != 1 || !doc.contains("release")) {
        return std::nullopt; // unreadable records are rebuilt, not fatal
    }
    BuildResult r;
    r.slug_path = doc.value("slug", "");
    if (r.slug_path.empty() || !stdfs::exists(r.slug_path)) {
        return std::nullopt;
    }
    BuildResult out = result_of_release(doc["release"]);
    out.slug_path = r.slug_path;
    return out;
}

BuildResult result_of_release(const nlohmann::json& rel) {
    BuildResult r;
    r.release_json = rel;
    r.sha256 = rel.value("slug_sha256", "");
    r.source = {rel.value("commit", ""), rel.value("short_commit", ""), rel.value("subject", ""),
                rel.value("author", ""), rel.value("dirty", false)};
    r.buildpacks = rel.value("buildpacks", std::vector<std::string>{});
    r.process_types = rel.value("process_types", std::map<std::string, std::string>{});
    r.release_command = rel.value("release_command", "");
    r.reused = true;
    return r;
}

} // namespace wm::build
