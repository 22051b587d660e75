// Pure parts of the SSH transport: config resolution, host key helpers, command builders.
#include <wm/base/fs.hpp>
#include <wm/base/process.hpp>
#include <wm/transport/ssh/auth.hpp>
#include <wm/transport/ssh/commands.hpp>
#include <wm/transport/ssh/host_keys.hpp>
#include <wm/transport/ssh/ssh_config.hpp>

#include <catch2/catch.hpp>

using namespace wm::transport;
using namespace wm::transport::ssh;

namespace {
std::string openssh_key(const std::string& body) {
    return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----\n";
}
} // namespace

TEST_CASE("ssh_config: first value wins, endpoint values win over config") {
    auto cfg = parse_ssh_config("# comment\n"
                                "Host web*  !web9\n"
                                "  HostName 10.0.0.%h\n"
                                "  User deploy\n"
                                "  Port=2222\n"
                                "  IdentityFile ~/.ssh/web_key\n"
                                "Match all\n"
                                "  User ignored\n"
                                "Host *\n"
                                "  User fallback\n"
                                "  IdentityFile %d/.ssh/id_%r\n");
    Resolved r = resolve(SshTarget{"", "web1", "", 0, "", ""}, cfg, "/home/me");
    CHECK(r.address == "10.0.0.web1");
    CHECK(r.user == "deploy");
    CHECK(r.port == 2222);
    REQUIRE(r.identity_files.size() == 2);
    CHECK(r.identity_files[0] == "/home/me/.ssh/web_key");
    CHECK(r.identity_files[1] == "/home/me/.ssh/id_deploy");

    Resolved negated = resolve(SshTarget{"", "web9", "", 0, "", ""}, cfg, "/home/me");
    CHECK(negated.address == "web9");
    CHECK(negated.user == "fallback");
    CHECK(negated.port == 22);

    Resolved given = resolve(SshTarget{"", "web2", "root", 22, "/k", ""}, cfg, "/h");
    CHECK(given.user == "root");
    CHECK(given.port == 22);
    CHECK(given.identity_files.front() == "/k");
}

TEST_CASE("ssh_config: defaults without a config") {
    Resolved r = resolve(SshTarget{"n", "10.1.2.3", "", 0, "", ""}, {}, "/h");
    CHECK(r.address == "10.1.2.3");
    CHECK(r.user == "root");
    CHECK(r.port == 22);
    CHECK(r.identity_files.empty());
    CHECK(host_pattern_match("*.EXAMPLE.com", "a.example.COM"));
    CHECK_FALSE(host_pattern_match("a?c", "abbc"));
}

TEST_CASE("ssh -G: the command line and OpenSSH's answer") {
    CHECK(ssh_g_argv("/usr/bin/ssh", SshTarget{"n", "web1", "", 0, "", ""}, "") ==
          std::vector<std::string>{"/usr/bin/ssh", "-G", "-F", "none", "--", "web1"});
    CHECK(ssh_g_argv("ssh", SshTarget{"n", "web1", "deploy", 2222, "/k", ""}, "/h/.ssh/config") ==
          std::vector<std::string>{"ssh", "-G", "-F", "/h/.ssh/config", "-l", "deploy", "-p",
                                   "2222", "--", "web1"});
    std::string out = "host web1\nuser deploy\nhostname 10.0.0.7\nport 2200\n"
                      "identityfile ~/.ssh/id_rsa\nidentityfile ~/.ssh/web_%r\n"
                      "identityfile ~/.ssh/id_ed25519\nproxyjump admin@bastion:2022,inner\n"
                      "userknownhostsfile /h/.ssh/hosts_web /h/.ssh/known_hosts2\n";
    Resolved r = parse_ssh_g(out, SshTarget{"n", "web1", "", 0, "/k", ""}, "me", "/h");
    CHECK(r.address == "10.0.0.7");
    CHECK(r.user == "deploy");
    CHECK(r.port == 2200);
    CHECK(r.identity_files ==
          std::vector<std::filesystem::path>{"/k", "/h/.ssh/web_deploy"}); // defaults: ours
    CHECK(r.proxy_jump == std::vector<std::string>{"admin@bastion:2022", "inner"});
    CHECK(r.user_known_hosts == "/h/.ssh/hosts_web");

    // OpenSSH's defaults (the local account, port 22, no jump) are wm's unset values.
    Resolved d = parse_ssh_g("hostname web2\nuser me\nport 22\nproxyjump none\n"
                             "userknownhostsfile /h/.ssh/known_hosts /h/.ssh/known_hosts2\n",
                             SshTarget{"n", "web2", "", 0, "", ""}, "me", "/h");
    CHECK(d.user == "root");
    CHECK(d.port == 22);
    CHECK(d.proxy_jump.empty());
    CHECK(d.user_known_hosts.empty());
    CHECK(parse_ssh_g("user me\n", SshTarget{"n", "web2", "me", 0, "", ""}, "me", "/h").user ==
          "me");
}

TEST_CASE("ssh -G resolves Include and Match as OpenSSH does", "[ssh-g]") {
    auto ssh = wm::find_executable("ssh");
    if (!ssh) {
        WARN("OpenSSH's client is not installed: nothing to check");
        return;
    }
    wm::fs::TempDir home;
    std::filesystem::create_directories(home.path() / "conf.d");
    wm::fs::write_file_atomic(home.path() / "conf.d" / "tb.conf",
                              "Host tb-*\n  HostName %h.example.test\n  Port 2022\n");
    wm::fs::write_file_atomic(home.path() / "config",
                              "Include " + (home.path() / "conf.d").string() +
                                  "/*.conf\nMatch host tb-one.example.test\n  User deploy\n");
    SshOptions opts;
    opts.ssh_config = home.path() / "config";
    opts.ssh_program = *ssh;
    wm::PosixProcessRunner runner;
    opts.runner = &runner;
    opts.login_user = "me";
    opts.home = home.path();
    Resolved r = resolve_target(SshTarget{"n", "tb-one", "", 0, "", ""}, opts);
    CHECK(r.address == "tb-one.example.test");
    CHECK(r.port == 2022);
    CHECK(r.user == "deploy");
    Resolved other = resolve_target(SshTarget{"n", "tb-two", "", 0, "", ""}, opts);
    CHECK(other.user == "root");

    wm::fs::write_file_atomic(home.path() / "config", "Hots typo\n");
    CHECK_THROWS_WITH(resolve_target(SshTarget{"n", "tb-one", "", 0, "", ""}, opts),
                      Catch::Contains("resolving tb-one with `ssh -G`: ") &&
                          Catch::Contains("Bad configuration option: hots"));
}

TEST_CASE("base64 and OpenSSH fingerprints") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_decode("Zm9vYg==") == "foob");
    CHECK(base64_decode("not base64!") == "");
    // ssh-keygen -lf of this public key printed the same fingerprint.
    std::string blob =
        base64_decode("AAAAC3NzaC1lZDI1NTE5AAAAIH9HMGxXxPnShDVMPa1QV011FE2iAgGSl0ZfQNPcs6O0");
    CHECK(fingerprint_sha256(blob) == "SHA256:sXdCzPmDXr8ar37IccrbXsvisbMkcV4lCrEZyeRnQt4");
}

TEST_CASE("known_hosts: host field and line lookup") {
    CHECK(known_hosts_host("10.78.0.11", 22) == "10.78.0.11");
    CHECK(known_hosts_host("10.78.0.11", 2222) == "[10.78.0.11]:2222");
    std::string text = "# wm\n"
                       "10.78.0.11,wmt1 ssh-ed25519 AAAA\n"
                       "|1|hashed= ssh-ed25519 AAAA\n"
                       "[10.78.0.12]:2222 ssh-ed25519 BBBB\n"
                       "10.78.0.12 ssh-rsa CCCC\n";
    CHECK(find_known_hosts_line(text, "wmt1", 22, "ssh-ed25519") == 2);
    CHECK(find_known_hosts_line(text, "10.78.0.12", 2222, "ssh-ed25519") == 4);
    CHECK(find_known_hosts_line(text, "10.78.0.12", 22, "ssh-ed25519") == std::nullopt);
    CHECK(find_known_hosts_line(text, "10.78.0.12", 22, "ssh-rsa") == 5);
}

TEST_CASE("private keys: type and encryption from the text") {
    auto ed = describe_private_key(openssh_key(
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB/"
        "RzBsV8T50oQ1TD2tUFdNdRRNogIBkpdGX0D"));
    CHECK(ed.type == "ssh-ed25519");
    CHECK_FALSE(ed.encrypted);
    auto enc = describe_private_key(openssh_key(
        "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABDKrv4SH85yb7hVq3PdloMVAAAAE"
        "AAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIEchW6iebI2McMA8mmKTFtmr4q9Rm1Tr56vE"));
    CHECK(enc.type == "ssh-ed25519");
    CHECK(enc.encrypted);
    auto rsa = describe_private_key(openssh_key(
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABFwAAAAdzc2gtcnNhAAAAAwEAAQAAAQEA"
        "rAIw08sTDR78483HbNv61xJYpaw0xKl"));
    CHECK(rsa.type == "ssh-rsa");
    auto ec = describe_private_key(openssh_key(
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS1zaGEyLW5pc3RwMjU2"
        "AAAACG5pc3RwMjU2AAAAQQTcrAfPbP4"));
    CHECK(ec.type == "ecdsa-sha2-nistp256");
    auto pem = describe_private_key("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n");
    CHECK(pem.type == "ssh-rsa");
    CHECK(pem.encrypted);
}

TEST_CASE("remote command builders") {
    using std::chrono::milliseconds;
    CHECK(exec_line("echo 'hi'; exit 3", milliseconds(0)) ==
          "/bin/sh -c 'echo '\\''hi'\\''; exit 3'");
    CHECK(exec_line("true", milliseconds(1500)) == "timeout -k 2 2 /bin/sh -c true");
    CHECK(
        write_file_command("/var/lib/widemesh/a b/env", "/var/lib/widemesh/a b/env.tmp-1", 0600) ==
        "mkdir -p '/var/lib/widemesh/a b' && umask 077 && { cat > '/var/lib/widemesh/a "
        "b/env.tmp-1' "
        "&& chmod 0600 '/var/lib/widemesh/a b/env.tmp-1' && mv -f '/var/lib/widemesh/a "
        "b/env.tmp-1' "
        "'/var/lib/widemesh/a b/env' || { rm -f '/var/lib/widemesh/a b/env.tmp-1'; exit 1; }; }");
    CHECK(rename_command("/x.tmp-00000001", "/x") == "mv -f /x.tmp-00000001 /x");
    CHECK(temp_name("/srv/f", 0xab) == "/srv/f.tmp-000000ab");
}

TEST_CASE("a login user other than root gets root through sudo -n") {
    using std::chrono::milliseconds;
    CHECK(exec_line("id -u", milliseconds(0), Privilege::sudo) == "sudo -n -- /bin/sh -c 'id -u'");
    CHECK(exec_line("true", milliseconds(1500), Privilege::sudo) ==
          "timeout -k 2 2 sudo -n -- /bin/sh -c true");
    CHECK(sudo_probe_command() == "command -v sudo >/dev/null 2>&1 || exit 127; sudo -n -- true");
    CHECK(
        adopt_upload_command("/home/admin/.wm-upload.tmp-1", "/srv/a b.tmp-2", "/srv/a b", 0644) ==
        "mkdir -p /srv && install -o root -g root -m 0644 /home/admin/.wm-upload.tmp-1 "
        "'/srv/a b.tmp-2' && mv -f '/srv/a b.tmp-2' '/srv/a b'; s=$?; rm -f "
        "/home/admin/.wm-upload.tmp-1; [ $s = 0 ] || rm -f '/srv/a b.tmp-2'; exit $s");
}

TEST_CASE("a sudo that does not work is refused with what the server needs") {
    CHECK(sudo_refusal("admin", 127, "") ==
          "user admin is not root and the server has no sudo: log in as root, or install sudo "
          "and allow admin to use it without a password");
    CHECK(sudo_refusal("admin", 1, "sudo: a password is required\n") ==
          "user admin needs passwordless sudo (sudo asked for a password): add 'admin ALL=(ALL) "
          "NOPASSWD: ALL' to /etc/sudoers.d/admin, or log in as root");
    CHECK(sudo_refusal("deploy", 1, "deploy is not in the sudoers file.\nmore\n") ==
          "user deploy cannot become root with sudo -n (exit 1: deploy is not in the sudoers "
          "file.)");
}
