// ServerOps' config store and scale counts over the local transport in a temp root: values go
// out as files and come back byte-exact; the store is root's only.
#include <wm/base/fs.hpp>
#include <wm/rack/server_ops.hpp>
#include <wm/transport/local_transport.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace wm;

namespace {

int mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return static_cast<int>(st.st_mode & 07777);
}

} // namespace

TEST_CASE("server ops: the config store keeps values byte-exact, root only", "[rack]") {
    fs::TempDir tmp{"/tmp", "wmcfg-"};
    transport::LocalTransport t{"local"};
    CaptureReporter reporter;
    rack::Layout layout{tmp.path().string()};
    rack::ServerOps ops{t, layout, reporter};
    const AppEnv shop{"shop", "production"};

    CHECK(ops.read_config_store(shop, "").empty());
    std::string pem = "-----BEGIN KEY-----\nabc\n-----END KEY-----\n";
    ops.change_config_store(shop, "", {{"TLS_KEY", pem}, {"EMPTY", ""}, {"SPACED", " a b "}});
    ops.change_config_store(shop, "api", {{"ONLY_API", "1"}});
    CHECK(ops.read_config_store(shop, "") ==
          std::map<std::string, std::string>{{"EMPTY", ""}, {"SPACED", " a b "}, {"TLS_KEY", pem}});
    CHECK(ops.read_config_store(shop, "api") ==
          std::map<std::string, std::string>{{"ONLY_API", "1"}});
    std::filesystem::path dir = layout.config_store_dir(shop, "");
    CHECK(mode_of(dir) == 0700);
    CHECK(mode_of(dir / "TLS_KEY") == 0600);

    ops.change_config_store(shop, "", {{"EMPTY", std::nullopt}, {"SPACED", "x"}});
    CHECK(ops.read_config_store(shop, "") ==
          std::map<std::string, std::string>{{"SPACED", "x"}, {"TLS_KEY", pem}});
}

TEST_CASE("server ops: scale counts are stored per stack", "[rack]") {
    fs::TempDir tmp{"/tmp", "wmcfg-"};
    transport::LocalTransport t{"local"};
    CaptureReporter reporter;
    rack::ServerOps ops{t, rack::Layout{tmp.path().string()}, reporter};
    const AppEnv shop{"shop", "production"};
    CHECK(ops.read_scale(shop, "app").empty());
    ops.write_scale(shop, "app", {{"web", {3, 2}}});
    CHECK(ops.read_scale(shop, "app").at("web").instances == 3);
    CHECK(ops.read_scale(shop, "app").at("web").manifest == 2);
}

TEST_CASE("server ops: the hash key is made once, root only, and never listed as config",
          "[rack]") {
    fs::TempDir tmp{"/tmp", "wmcfg-"};
    transport::LocalTransport t{"local"};
    CaptureReporter reporter;
    rack::Layout layout{tmp.path().string()};
    rack::ServerOps ops{t, layout, reporter};
    const AppEnv shop{"shop", "production"};

    std::string key = ops.hash_key(shop);
    CHECK(key.size() == 64);
    CHECK(key.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(ops.hash_key(shop) == key);
    CHECK(ops.hash_key({"shop", "staging"}) != key);
    std::filesystem::path dir = layout.config_store_dir(shop, "");
    CHECK(mode_of(dir) == 0700);
    CHECK(mode_of(dir / ".hash_key") == 0600);
    CHECK(ops.read_config_store(shop, "").empty());
    // Nothing but the key is left behind (no temp file of the link).
    CHECK(std::distance(std::filesystem::directory_iterator(dir),
                        std::filesystem::directory_iterator()) == 1);
}
