#include <wm/ops/ssh_setup.hpp>

#include <catch2/catch.hpp>

using namespace wm;

TEST_CASE("ssh_options: the user's ~/.ssh files, wm's known_hosts, the agent", "[ops]") {
    ops::SshSetup setup;
    setup.state_dir = "/home/me/.widemesh";
    setup.home = "/home/me";
    setup.agent_socket = "/run/agent.sock";
    setup.accept_new = true;
    setup.connect_timeout = std::chrono::seconds(3);
    transport::SshOptions ssh = ops::ssh_options(setup);
    CHECK(ssh.known_hosts == "/home/me/.widemesh/known_hosts");
    CHECK(ssh.user_known_hosts == "/home/me/.ssh/known_hosts");
    CHECK(ssh.ssh_config == "/home/me/.ssh/config");
    CHECK(ssh.identity_files == std::vector<std::filesystem::path>{"/home/me/.ssh/id_ed25519",
                                                                   "/home/me/.ssh/id_ecdsa",
                                                                   "/home/me/.ssh/id_rsa"});
    CHECK(ssh.home == "/home/me");
    CHECK(ssh.agent_socket == "/run/agent.sock");
    CHECK(ssh.accept_new);
    CHECK(ssh.connect_timeout == std::chrono::seconds(3));

    setup.home.clear();
    ssh = ops::ssh_options(setup);
    CHECK(ssh.ssh_config.empty());
    CHECK(ssh.user_known_hosts.empty());
    CHECK(ssh.identity_files.empty());
}

TEST_CASE("ssh_options: a passphrase is asked only on a terminal", "[ops]") {
    int asked = 0;
    ops::SshSetup setup;
    setup.state_dir = "/st";
    setup.ask_secret = [&](const std::string& prompt) {
        ++asked;
        return "secret for " + prompt;
    };
    transport::SshOptions batch = ops::ssh_options(setup);
    CHECK_FALSE(batch.interactive);
    CHECK_FALSE(batch.prompt); // no terminal: an encrypted key fails instead of waiting

    setup.terminal = true;
    transport::SshOptions tty = ops::ssh_options(setup);
    CHECK(tty.interactive);
    REQUIRE(tty.prompt);
    CHECK(tty.prompt("key: ") == "secret for key: ");
    CHECK(asked == 1);
}

TEST_CASE("ssh_options: an unknown host key is asked about only on a terminal", "[ops]") {
    ops::SshSetup setup;
    setup.state_dir = "/st";
    setup.ask_line = [](const std::string& question) { return "answer to " + question; };
    CHECK_FALSE(ops::ssh_options(setup).confirm); // off a terminal: refused unless --accept-new

    setup.terminal = true;
    transport::SshOptions tty = ops::ssh_options(setup);
    REQUIRE(tty.confirm);
    CHECK(tty.confirm("trust? ") == "answer to trust? ");
    CHECK_FALSE(tty.accept_new);
}
