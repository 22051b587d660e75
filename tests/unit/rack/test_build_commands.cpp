// The builder's commands and the slug transfer between servers, by exact text
// (rack/build_commands.hpp), and BuildHost's steps over a scripted transport.
#include <wm/base/error.hpp>
#include <wm/rack/build_commands.hpp>
#include <wm/rack/build_host.hpp>
#include <wm/rack/source_commands.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>

using namespace wm;
using namespace wm::rack;

namespace {
const Layout k_l{"/r"};
const AppEnv k_shop{"shop", "production"};
} // namespace

TEST_CASE("layout: a builder's files live under build/", "[rack]") {
    CHECK(k_l.build_dir() == "/r/build");
    CHECK(k_l.buildpack_dir("h1") == "/r/build/buildpacks/h1");
    CHECK(k_l.build_cache_dir(k_shop, "web") == "/r/build/cache/shop.production/web");
    CHECK(k_l.build_work_dir("id1") == "/r/build/work/id1");
    CHECK(k_l.build_record(k_shop, "web", "k") == "/r/build/records/shop.production/web/k.json");
    CHECK(k_l.slug_offer_dir("o1") == "/r/build/serve/o1");
}

TEST_CASE("build commands: buildpacks, source, ownership, cleanup", "[rack]") {
    CHECK(buildpack_present_command(k_l, "h1") == "test -f /r/build/buildpacks/h1/.complete");
    CHECK(install_buildpack_command(k_l, "h1", "/r/build/buildpacks/.upload-h1.tar.zst") ==
          "set -e; rm -rf /r/build/buildpacks/h1.tmp; mkdir -p /r/build/buildpacks/h1.tmp; "
          "tar --zstd -xf /r/build/buildpacks/.upload-h1.tar.zst -C /r/build/buildpacks/h1.tmp; "
          "touch /r/build/buildpacks/h1.tmp/.complete; rm -rf /r/build/buildpacks/h1; "
          "mv /r/build/buildpacks/h1.tmp /r/build/buildpacks/h1; "
          "rm -f /r/build/buildpacks/.upload-h1.tar.zst");
    CHECK(stage_source_command(k_l, "id1", "/r/build/work/.source-id1.tar.zst") ==
          "set -e; chmod 0700 /r/build; rm -rf /r/build/work/id1; mkdir -p -m 0700 "
          "/r/build/work/id1; mkdir -p /r/build/work/id1/app /r/build/work/id1/env; "
          "tar --zstd -xf /r/build/work/.source-id1.tar.zst -C /r/build/work/id1/app; "
          "rm -f /r/build/work/.source-id1.tar.zst");
    CHECK(give_build_command(k_l, "id1", {"/r/build/cache/shop.production/web/node"}, 69999) ==
          "set -e; mkdir -p /r/build/work/id1/app /r/build/work/id1/env "
          "/r/build/cache/shop.production/web/node; chown -R 69999:69999 /r/build/work/id1/app "
          "/r/build/work/id1/env /r/build/cache/shop.production/web/node");
    CHECK(remove_build_command(k_l, "id1") == "rm -rf /r/build/work/id1");
    CHECK(slug_transfer_need().package == "rsync");
    CHECK(slug_transfer_need().command == "rsync");
}

TEST_CASE("build commands: the slug is packed reproducibly and named by its sha256", "[rack]") {
    CHECK(pack_slug_command(k_l, "id1") ==
          "set -e; cd /r/build/work/id1/app; find . -type d -exec chmod 0755 {} +; "
          "find . -type f -perm /111 -exec chmod 0755 {} +; "
          "find . -type f ! -perm /111 -exec chmod 0644 {} +; "
          "LC_ALL=C tar --sort=name --format=gnu --mtime=@315532800 --owner=0 --group=0 "
          "--numeric-owner --hard-dereference -cf /r/build/work/id1/slug.tar .; "
          "zstd -q --rsyncable --rm -o /r/build/work/id1/slug.tar.zst /r/build/work/id1/slug.tar; "
          "sha=$(sha256sum < /r/build/work/id1/slug.tar.zst | cut -c1-64); mkdir -p /r/slugs; "
          "chmod 0700 /r/slugs; chmod 0600 /r/build/work/id1/slug.tar.zst; "
          "mv /r/build/work/id1/slug.tar.zst /r/slugs/$sha.tar.zst; "
          "echo \"$sha $(stat -c %s /r/slugs/$sha.tar.zst)\"");
    CHECK(slug_valid_command(k_l, "abc") ==
          "test -s /r/slugs/abc.tar.zst || exit 1; "
          "[ \"$(sha256sum < /r/slugs/abc.tar.zst | cut -c1-64)\" = abc ] && exit 0; "
          "rm -f /r/slugs/abc.tar.zst; exit 1");
}

TEST_CASE("slug offer: a one-time rsync daemon and the fetch from it", "[rack]") {
    CHECK(offer_slugs_command(k_l, "o1") ==
          "set -e; d=/r/build/serve/o1; rm -rf \"$d\"; mkdir -p -m 0700 \"$d\"\n"
          "token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n')\n"
          "umask 077; printf 'wm:%s\\n' \"$token\" > \"$d/secrets\"\n"
          "printf '%s\\n' 'pid file = /r/build/serve/o1/pid' 'use chroot = no' "
          "'max connections = 32' '[slugs]' 'path = /r/slugs' 'read only = yes' 'list = no' "
          "'uid = root' 'gid = root' 'auth users = wm' "
          "'secrets file = /r/build/serve/o1/secrets' > \"$d/rsyncd.conf\"\n"
          "for try in 1 2 3 4 5 6 7 8; do\n"
          "\tport=$((30000 + $(od -An -N2 -tu2 /dev/urandom) % 10000))\n"
          "\trsync --daemon --port \"$port\" --config \"$d/rsyncd.conf\" --log-file \"$d/log\" "
          "|| continue\n"
          "\tsleep 0.3\n"
          "\tif [ -s \"$d/pid\" ] && kill -0 \"$(cat \"$d/pid\")\" 2>/dev/null; then\n"
          "\t\techo \"$port $token $(hostname -I 2>/dev/null)\"; exit 0\n"
          "\tfi\n"
          "done\n"
          "echo \"cannot start rsync --daemon: $(tail -n 3 \"$d/log\" 2>/dev/null)\" >&2; exit 1");
    CHECK(withdraw_slugs_command(k_l, "o1") ==
          "[ -s /r/build/serve/o1/pid ] && kill \"$(cat /r/build/serve/o1/pid)\" 2>/dev/null; "
          "rm -rf /r/build/serve/o1");
    SlugOffer offer{"o1", 30007, std::string(32, 'f'), {"10.0.0.1", "192.168.1.1"}};
    std::string fetch = fetch_slug_command(k_l, offer, "abc");
    CHECK(fetch ==
          "set -e; read -r RSYNC_PASSWORD; export RSYNC_PASSWORD\n"
          "s=/r/slugs; tmp=\"$s/.fetch-abc\"; mkdir -p \"$s\"; chmod 0700 \"$s\"\n"
          "basis=$(ls -t \"$s\"/*.tar.zst 2>/dev/null | head -n 1)\n"
          "rm -f \"$tmp\"; [ -z \"$basis\" ] || ln \"$basis\" \"$tmp\"\n"
          "got=\n"
          "for a in 10.0.0.1 192.168.1.1; do\n"
          "\tif out=$(rsync --ignore-times --no-whole-file --contimeout=5 --timeout=600 --stats "
          "\"rsync://wm@$a:30007/slugs/abc.tar.zst\" \"$tmp\" 2>&1); then got=1; break; fi\n"
          "done\n"
          "[ -n \"$got\" ] || { rm -f \"$tmp\"; echo \"$out\" | tail -n 3 >&2; exit 1; }\n"
          "[ \"$(sha256sum < \"$tmp\" | cut -c1-64)\" = abc ] || { rm -f \"$tmp\"; "
          "echo 'the slug fetched does not have sha256 abc' >&2; exit 1; }\n"
          "chmod 0600 \"$tmp\"; mv \"$tmp\" \"$s/abc.tar.zst\"\n"
          "echo \"$out\" | sed -n 's/^Total bytes received: //p' | tr -d ,");
    CHECK(fetch.find(offer.token) == std::string::npos); // the password travels on stdin
}

TEST_CASE("slug offer: parsing the daemon's answer", "[rack]") {
    std::string token(32, 'a');
    SlugOffer o = parse_offer("o1", "30123 " + token + " 10.0.0.2 fe80::1 10.0.0.1 \n", "10.0.0.1");
    CHECK(o.id == "o1");
    CHECK(o.port == 30123);
    CHECK(o.token == token);
    CHECK(o.addresses == std::vector<std::string>{"10.0.0.1", "10.0.0.2"});
    CHECK_THROWS_WITH(parse_offer("o1", "oops", ""), "unexpected answer of the slug offer: 'oops'");
}

namespace {

/// A transport that answers commands from a script (first matching prefix) and logs every call.
class ScriptedTransport : public transport::Transport {
  public:
    std::vector<std::pair<std::string, transport::RunResult>> answers; ///< prefix -> result
    std::vector<std::string> log;
    std::string stdin_data; ///< of the last command

    std::string name() const override { return "b1"; }
    transport::RunResult run(const std::string& command,
                             const transport::RunOptions& options) override {
        log.push_back(command);
        stdin_data = options.stdin_data;
        for (const auto& [prefix, result] : answers) {
            if (command.rfind(prefix, 0) == 0) {
                if (options.on_output && !result.out.empty()) {
                    options.on_output(Stream::out, result.out);
                }
                return result;
            }
        }
        return {0, false, "", "", false};
    }
    void upload(const std::filesystem::path& local, const std::string& remote, unsigned,
                const transport::ProgressFn&) override {
        log.push_back("upload " + local.string() + " " + remote);
    }
    void write_file(const std::string& remote, std::string_view data, unsigned mode) override {
        log.push_back(fmt::format("write {} {:o} {}", remote, mode, data));
    }
    std::string read_file(const std::string&) override { return ""; }
};

BuildJob job_of() {
    BuildJob job;
    job.app_env = k_shop;
    job.stack = "web";
    job.id = "id1";
    job.record_key = "k1";
    job.source_tar = "/tmp/src.tar.zst";
    job.buildpacks = {{"node", "h1", "/tmp/bp.tar.zst", "node"}};
    job.config = {{"A", "1"}};
    job.builder_uid = 69999;
    job.compile_commands = {"COMPILE"};
    job.release_commands = {"RELEASE"};
    return job;
}

std::vector<std::string> outputs(const CaptureReporter& r) {
    std::vector<std::string> out;
    for (const Event& e : r.events()) {
        if (e.kind == "output") {
            out.push_back(e.server + ": " + e.message);
        }
    }
    return out;
}

} // namespace

TEST_CASE("build host: a fresh build runs every step on the builder, output streamed", "[rack]") {
    ScriptedTransport t;
    std::string sha(64, 'c');
    t.answers = {{"cat ", {1, false, "", "", false}},
                 {"test -f /r/build/buildpacks/h1/.complete", {1, false, "", "", false}},
                 {"COMPILE", {0, false, "-----> Node.js v18\nadded 1 package", "", false}},
                 {"RELEASE", {0, false, "config_vars:\n  A: b\n", "", false}},
                 {"set -e; cd /r/build/work/id1/app", {0, false, sha + " 1234\n", "", false}}};
    CaptureReporter reporter;
    BuildHost host(t, k_l, reporter);
    std::vector<std::string> seen;
    BuiltSlug built = host.build(job_of(), [&](const std::vector<std::string>& releases) {
        seen = releases;
        return std::map<std::string, std::string>{{".wm/config-vars.sh", "export A=b\n"}};
    });
    CHECK(built.sha256 == sha);
    CHECK(built.bytes == 1234);
    CHECK_FALSE(built.reused);
    CHECK(seen == std::vector<std::string>{"config_vars:\n  A: b\n"});
    CHECK(outputs(reporter) ==
          std::vector<std::string>{"b1: -----> Node.js v18", "b1: added 1 package"});
    CHECK(t.log ==
          std::vector<std::string>{
              "cat /r/build/records/shop.production/web/k1.json 2>/dev/null",
              "test -f /r/build/buildpacks/h1/.complete", "mkdir -p /r/build/buildpacks",
              "upload /tmp/bp.tar.zst /r/build/buildpacks/.upload-h1.tar.zst",
              install_buildpack_command(k_l, "h1", "/r/build/buildpacks/.upload-h1.tar.zst"),
              "mkdir -p /r/build/work", "upload /tmp/src.tar.zst /r/build/work/.source-id1.tar.zst",
              stage_source_command(k_l, "id1", "/r/build/work/.source-id1.tar.zst"),
              "write /r/build/work/id1/env/A 600 1",
              give_build_command(k_l, "id1", {"/r/build/cache/shop.production/web/node"}, 69999),
              "COMPILE", "RELEASE", "mkdir -p /r/build/work/id1/app/.wm",
              "write /r/build/work/id1/app/.wm/config-vars.sh 644 export A=b\n",
              pack_slug_command(k_l, "id1"), "mkdir -p /r/build/records/shop.production/web",
              "write /r/build/records/shop.production/web/k1.json 600 {\"bytes\":1234,"
              "\"release_outputs\":[\"config_vars:\\n  A: b\\n\"],\"sha256\":\"" +
                  sha + "\"}\n",
              "rm -rf /r/build/work/id1"});
}

TEST_CASE("build host: a recorded build with an intact slug is reused", "[rack]") {
    ScriptedTransport t;
    std::string sha(64, 'c');
    t.answers = {{"cat ",
                  {0, false,
                   "{\"sha256\":\"" + sha +
                       "\",\"bytes\":9,"
                       "\"release_outputs\":[\"r\"]}",
                   "", false}}};
    CaptureReporter reporter;
    BuildHost host(t, k_l, reporter);
    BuiltSlug built = host.build(job_of(), [](const std::vector<std::string>&) {
        FAIL("finish must not run for a reused build");
        return std::map<std::string, std::string>{};
    });
    CHECK(built.reused);
    CHECK(built.release_outputs == std::vector<std::string>{"r"});
    CHECK(t.log ==
          std::vector<std::string>{"cat /r/build/records/shop.production/web/k1.json 2>/dev/null",
                                   slug_valid_command(k_l, sha)});
}

TEST_CASE("build host: a failing bin/compile names the builder and removes the work dir",
          "[rack]") {
    ScriptedTransport t;
    t.answers = {{"cat ", {1, false, "", "", false}}, {"COMPILE", {2, false, "", "", false}}};
    CaptureReporter reporter;
    BuildHost host(t, k_l, reporter);
    try {
        host.build(job_of(), [](const std::vector<std::string>&) {
            return std::map<std::string, std::string>{};
        });
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.describe() == "server b1: step build: buildpack node: bin/compile failed (exit 2)");
    }
    CHECK(t.log.back() == "rm -rf /r/build/work/id1");
}

TEST_CASE("build host: a fetch sends the token on stdin and returns the bytes", "[rack]") {
    ScriptedTransport t;
    t.answers = {{"set -e; read -r RSYNC_PASSWORD", {0, false, "20512\n", "", false}}};
    CaptureReporter reporter;
    BuildHost host(t, k_l, reporter);
    SlugOffer offer{"o1", 30007, std::string(32, 'f'), {"10.0.0.1"}};
    CHECK(host.fetch_slug(offer, "abc") == 20512);
    CHECK(t.stdin_data == std::string(32, 'f') + "\n");
    CHECK(t.log == std::vector<std::string>{fetch_slug_command(k_l, offer, "abc")});
}

TEST_CASE("build host: the source goes as the git objects the builder lacks", "[rack]") {
    ScriptedTransport t;
    std::string known(40, 'a');
    t.answers = {
        {"cat ", {1, false, "", "", false}},
        {"command -v git", {0, false, known + "\n", "", false}},
        {"set -e; cd /r/build/work/id1/app", {0, false, std::string(64, 'c') + " 1\n", "", false}}};
    CaptureReporter reporter;
    BuildHost host(t, k_l, reporter);
    BuildJob job = job_of();
    job.commit = std::string(40, 'c');
    std::vector<std::string> asked;
    job.source_pack = [&](const std::vector<std::string>& k) {
        asked = k;
        return std::optional<SourcePack>{SourcePack{"/tmp/o-1.pack", 812, 3, 1}};
    };
    host.build(
        job, [](const std::vector<std::string>&) { return std::map<std::string, std::string>{}; });
    CHECK(asked == std::vector<std::string>{known});
    std::vector<std::string> staging(t.log.begin() + 2, t.log.begin() + 6);
    CHECK(staging == std::vector<std::string>{
                         known_commits_command(k_l, "shop", 64), "mkdir -p /r/build/work",
                         "upload /tmp/o-1.pack /r/build/work/.source-id1.pack",
                         stage_commit_command(k_l, "shop", "id1", "/r/build/work/.source-id1.pack",
                                              job.commit, ".")});
    std::vector<std::string> infos;
    for (const Event& e : reporter.events()) {
        infos.push_back(e.kind + " " + e.server + ": " + e.message);
    }
    CHECK(std::count(infos.begin(), infos.end(),
                     "info b1: source: 3 git objects, 812 bytes (the rest is on the builder)") ==
          1);
}

TEST_CASE("build host: a builder without git gets the whole tree", "[rack]") {
    ScriptedTransport t;
    t.answers = {
        {"cat ", {1, false, "", "", false}},
        {"command -v git", {0, false, "no-git\n", "", false}},
        {"set -e; cd /r/build/work/id1/app", {0, false, std::string(64, 'c') + " 1\n", "", false}}};
    CaptureReporter reporter;
    BuildHost host(t, k_l, reporter);
    BuildJob job = job_of();
    job.commit = std::string(40, 'c');
    job.source_pack = [](const std::vector<std::string>&) -> std::optional<SourcePack> {
        FAIL("no pack for a builder without git");
        return std::nullopt;
    };
    host.build(
        job, [](const std::vector<std::string>&) { return std::map<std::string, std::string>{}; });
    std::vector<std::string> staging(t.log.begin() + 2, t.log.begin() + 6);
    CHECK(staging == std::vector<std::string>{
                         known_commits_command(k_l, "shop", 64), "mkdir -p /r/build/work",
                         "upload /tmp/src.tar.zst /r/build/work/.source-id1.tar.zst",
                         stage_source_command(k_l, "id1", "/r/build/work/.source-id1.tar.zst")});
}
