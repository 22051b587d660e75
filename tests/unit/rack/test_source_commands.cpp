#include <wm/rack/source_commands.hpp>

#include <catch2/catch.hpp>

using namespace wm::rack;

namespace {
const Layout k_l{"/r"};
const std::string k_c1(40, 'a');
} // namespace

TEST_CASE("source repository: where it lives and what asks for its commits", "[rack]") {
    CHECK(source_repo_dir(k_l, "shop") == "/r/build/git/shop.git");
    CHECK(source_repo_need().package == "git");
    CHECK(missing_message(source_repo_need(), "trio", false) ==
          "the builder needs git (Debian package git); run 'wm rack bootstrap trio'");
    CHECK(known_commits_command(k_l, "shop", 64) ==
          "command -v git >/dev/null || { echo no-git; exit 0; }; "
          "[ -d /r/build/git/shop.git ] || exit 0; "
          "git -C /r/build/git/shop.git for-each-ref --sort=-committerdate --count=64 "
          "--format='%(objectname)' refs/wm/");
}

TEST_CASE("source repository: the builder's answer", "[rack]") {
    CHECK(parse_known_commits("no-git\n") == std::nullopt);
    CHECK(parse_known_commits("") == std::vector<std::string>{});
    CHECK(parse_known_commits(k_c1 + "\nnot-a-commit\n" + std::string(40, 'b') + "\n") ==
          std::vector<std::string>{k_c1, std::string(40, 'b')});
}

TEST_CASE("source repository: staging a commit from a pack", "[rack]") {
    CHECK(stage_commit_command(k_l, "shop", "id1", "/r/build/work/.source-id1.pack", k_c1, ".") ==
          "set -e; mkdir -p /r/build/git; chmod 0700 /r/build; r=/r/build/git/shop.git; "
          "[ -d \"$r\" ] || git init -q --bare \"$r\"; "
          "git -C \"$r\" index-pack --stdin < /r/build/work/.source-id1.pack; "
          "rm -f /r/build/work/.source-id1.pack; "
          "git -C \"$r\" update-ref refs/wm/" +
              k_c1 + " " + k_c1 +
              "; "
              "rm -rf /r/build/work/id1; mkdir -p -m 0700 /r/build/work/id1; "
              "mkdir -p /r/build/work/id1/app /r/build/work/id1/env; "
              "git -C \"$r\" archive --format=tar -o /r/build/work/id1/source.tar " +
              k_c1 +
              "; "
              "tar -xf /r/build/work/id1/source.tar -C /r/build/work/id1/app; "
              "rm -f /r/build/work/id1/source.tar /r/build/work/id1/app/widemesh.yaml");
    // Every object already there: nothing indexed; a stack below the root: that tree.
    std::string sub = stage_commit_command(k_l, "shop", "id1", "", k_c1, "services/web");
    CHECK(sub.find("index-pack") == std::string::npos);
    CHECK(sub.find("archive --format=tar -o /r/build/work/id1/source.tar " + k_c1 +
                   ":services/web; ") != std::string::npos);
}
