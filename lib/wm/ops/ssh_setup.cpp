#include <wm/ops/ssh_setup.hpp>
#include <wm/state/store.hpp>

#include <memory>
#include <mutex>

namespace wm::ops {

transport::SshOptions ssh_options(const SshSetup& setup) {
    transport::SshOptions ssh;
    ssh.known_hosts = state::Store(setup.state_dir).known_hosts();
    ssh.home = setup.home;
    if (!setup.home.empty()) {
        auto dot_ssh = setup.home / ".ssh";
        ssh.user_known_hosts = dot_ssh / "known_hosts";
        ssh.ssh_config = dot_ssh / "config";
        ssh.identity_files = {dot_ssh / "id_ed25519", dot_ssh / "id_ecdsa", dot_ssh / "id_rsa"};
    }
    ssh.agent_socket = setup.agent_socket;
    ssh.interactive = setup.terminal;
    // Servers are connected in parallel: one question on the terminal at a time.
    auto one_at_a_time = std::make_shared<std::mutex>();
    if (setup.terminal && setup.ask_secret) {
        ssh.prompt = [ask = setup.ask_secret, one_at_a_time](const std::string& prompt) {
            std::lock_guard lock(*one_at_a_time);
            return ask(prompt);
        };
    }
    if (setup.terminal && setup.ask_line) {
        ssh.confirm = [ask = setup.ask_line, one_at_a_time](const std::string& question) {
            std::lock_guard lock(*one_at_a_time);
            return ask(question);
        };
    }
    ssh.accept_new = setup.accept_new;
    ssh.connect_timeout = setup.connect_timeout;
    ssh.ssh_program = setup.ssh_program;
    ssh.runner = setup.runner;
    ssh.login_user = setup.login_user;
    return ssh;
}

} // namespace wm::ops
