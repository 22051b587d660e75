#include <wm/base/error.hpp>
#include <wm/state/journal.hpp>
#include <wm/state/store.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace wm::state;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

} // namespace

TEST_CASE("constructing a store and reading from it creates nothing") {
    wm::fs::TempDir tmp;
    Store store(tmp.path() / "home");
    CHECK_FALSE(store.exists());
    CHECK_FALSE(store.read_record("racks/eu.json"));
    CHECK_FALSE(store.read_credential("token"));
    Journal journal(store);
    CHECK(journal.versions({"shop", "production", "web"}).empty());
    CHECK(journal.list({"shop", "production", "web"}).empty());
    CHECK_FALSE(std::filesystem::exists(tmp.path() / "home"));
}

TEST_CASE("records carry the schema version and are written atomically") {
    wm::fs::TempDir tmp;
    Store store(tmp.path());
    store.write_record("racks/eu.json", {{"name", "eu"}});
    auto record = store.read_record("racks/eu.json");
    REQUIRE(record);
    CHECK((*record)["schema"] == 1);
    CHECK((*record)["name"] == "eu");
    CHECK(wm::fs::read_file(tmp.path() / "racks/eu.json") ==
          "{\n  \"name\": \"eu\",\n  \"schema\": 1\n}\n");
    CHECK_THROWS_WITH(store.write_record("../x.json", {{"a", 1}}),
                      "state path \"../x.json\" must be relative to the state directory");
}

TEST_CASE("damaged and newer records are refused with the file named") {
    wm::fs::TempDir tmp;
    Store store(tmp.path());
    wm::fs::write_file_atomic(tmp.path() / "a.json", "{not json");
    wm::fs::write_file_atomic(tmp.path() / "b.json", "{\"schema\": 9}");
    CHECK_THROWS_WITH(store.read_record("a.json"),
                      (tmp.path() / "a.json").string() +
                          ": not a JSON object (the file is damaged; move it away to start "
                          "afresh)");
    CHECK_THROWS_WITH(store.read_record("b.json"),
                      (tmp.path() / "b.json").string() +
                          ": record schema 9 is newer than this wm understands (1); upgrade wm");
}

TEST_CASE("credentials are 0600 files in a 0700 directory") {
    wm::fs::TempDir tmp;
    Store store(tmp.path() / "home");
    store.write_credential("hetzner", "secret\n");
    CHECK(mode_of(store.credentials_dir()) == 0700);
    CHECK(mode_of(store.credentials_dir() / "hetzner") == 0600);
    CHECK(store.read_credential("hetzner") == "secret\n");
}

TEST_CASE("the writers' lock excludes a second holder") {
    wm::fs::TempDir tmp;
    Store store(tmp.path());
    auto held = store.lock();
    CHECK(std::filesystem::exists(tmp.path() / "locks/wm.lock"));
    // flock locks belong to the open file description: a second open in this process conflicts.
    CHECK_THROWS_WITH(store.lock(false), "locking " + (tmp.path() / "locks/wm.lock").string() +
                                             ": held by another wm process");
}

TEST_CASE("the journal numbers deployments v0, v1, ... per app, environment and stack") {
    wm::fs::TempDir tmp;
    Store store(tmp.path());
    Journal journal(store);
    JournalKey web{"shop", "production", "web"};
    wm::Deployment d;
    d.app = "shop";
    d.environment = "production";
    d.stack = "web";
    d.commit = "abc";
    CHECK(journal.append(d) == 0);
    d.commit = "def";
    CHECK(journal.append(d) == 1);
    d.environment = "staging";
    CHECK(journal.append(d) == 0);
    d.environment = "production";
    d.version = 1;
    d.status = "succeeded";
    journal.write(d, "all good\n");
    CHECK(journal.versions(web) == std::vector<int>{0, 1});
    auto all = journal.list(web);
    REQUIRE(all.size() == 2);
    CHECK(all[1].status == "succeeded");
    CHECK(all[1].version == 1);
    std::string log;
    CHECK(journal.read(web, 1, &log)->commit == "def");
    CHECK(log == "all good\n");
    CHECK(std::filesystem::exists(tmp.path() / "journal/shop/production/web/v1.json"));
    CHECK_THROWS_WITH(journal.read({"shop", "..", "web"}, 0), "journal: invalid name \"..\"");
}
