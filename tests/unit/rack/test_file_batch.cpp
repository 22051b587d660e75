// Several files in one remote command (rack/file_batch.hpp), by exact text and run locally.
#include <wm/base/fs.hpp>
#include <wm/base/process.hpp>
#include <wm/rack/file_batch.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include <sys/stat.h>

using namespace wm;
using namespace wm::rack;

TEST_CASE("files written in one command, each atomically with its mode", "[rack]") {
    CHECK(write_files_command(
              {{"/r/a b/run", "#!/bin/sh\necho 'hi'\n", 0755}, {"/r/x.json", "{}\n"}}) ==
          "printf '%s' '#!/bin/sh\necho '\\''hi'\\''\n' > '/r/a b/run.wm-tmp' && chmod 755 "
          "'/r/a b/run.wm-tmp' && mv -f '/r/a b/run.wm-tmp' '/r/a b/run' &&\n"
          "printf '%s' '{}\n' > /r/x.json.wm-tmp && chmod 644 /r/x.json.wm-tmp && mv -f "
          "/r/x.json.wm-tmp /r/x.json");
    CHECK(write_files_command({}) == "true");
    CHECK(chain_commands({"a", "b\nc"}) == "{\na\n} && {\nb\nc\n}");
    CHECK(chain_commands({}) == "true");
}

TEST_CASE("the written files have the exact bytes and modes", "[rack]") {
    fs::TempDir dir;
    std::string run = (dir.path() / "run").string(), data = (dir.path() / "d").string();
    std::string script = "#!/bin/sh\nprintf '%s\\n' \"$1\" 'a  b' \\\\ %s\n";
    std::string cmd =
        chain_commands({"true", write_files_command({{run, script, 0755}, {data, "x"}})});
    REQUIRE(std::system(("/bin/sh -c " + shell_quote(cmd)).c_str()) == 0);
    CHECK(fs::read_file(run) == script);
    CHECK(fs::read_file(data) == "x");
    struct stat st {};
    REQUIRE(::stat(run.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0755);
    CHECK(!std::filesystem::exists(run + ".wm-tmp"));
}
