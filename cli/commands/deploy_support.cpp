#include "deploy_support.hpp"

#include <wm/base/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <iostream>
#include <string>

#include <pwd.h>
#include <unistd.h>

namespace wm::cli {

namespace {

// The account's name as OpenSSH takes it (its default User), whatever $USER says.
std::string passwd_name() {
    const passwd* pw = ::getpwuid(::getuid()); // NOLINT(concurrency-mt-unsafe): before threads
    return pw != nullptr ? pw->pw_name : "unknown";
}

std::string login_name() {
    std::string user = Context::env("USER");
    if (!user.empty()) {
        return user;
    }
    return passwd_name();
}

std::string host_name() {
    std::array<char, 256> buf{};
    if (::gethostname(buf.data(), buf.size() - 1) != 0) {
        return "localhost";
    }
    return buf.data();
}

} // namespace

void add_target_flags(CLI::App* cmd, TargetFlags& flags, bool short_file) {
    cmd->add_option(short_file ? "-f,--file" : "--file", flags.file,
                    "Manifest (default: ./widemesh.yaml)");
    cmd->add_option("-e,--environment", flags.environment,
                    "Environment (default: the manifest's first, usually production)");
    cmd->add_option("-s,--stack", flags.stack, "Only this stack (default: every stack)");
    add_connect_flags(cmd, flags.connect);
}

ops::Target target_of(const Context& ctx, const TargetFlags& flags) {
    return {std::filesystem::absolute(ctx.manifest_path(flags.file)), flags.environment,
            flags.stack, ctx.state_dir()};
}

void add_connect_flags(CLI::App* cmd, ConnectFlags& flags) {
    cmd->add_flag("--accept-new", flags.accept_new,
                  "Record unknown host keys (first contact) without a terminal");
    cmd->add_option("--parallel", flags.parallel, "Servers worked on at once")
        ->default_val(8)
        ->check(CLI::Range(1, 256));
    cmd->add_option("--connect-timeout", flags.connect_timeout, "Seconds to reach each server")
        ->default_val(10)
        ->check(CLI::Range(1, 600));
}

transport::SshOptions ssh_options(Context& ctx, const ConnectFlags& flags) {
    ops::SshSetup setup;
    setup.state_dir = ctx.state_dir();
    setup.home = Context::env("HOME");
    setup.agent_socket = Context::env("SSH_AUTH_SOCK");
    setup.terminal = ctx.stdin_is_tty();
    setup.ask_secret = [](const std::string& prompt) {
        // NOLINTNEXTLINE(concurrency-mt-unsafe): ops::ssh_options asks one question at a time
        const char* p = ::getpass(prompt.c_str());
        return std::string(p ? p : "");
    };
    setup.ask_line = [](const std::string& question) {
        std::fputs(question.c_str(), stderr);
        std::string answer;
        std::getline(std::cin, answer);
        while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' ')) {
            answer.pop_back();
        }
        return answer;
    };
    setup.accept_new = flags.accept_new;
    setup.connect_timeout = std::chrono::seconds(flags.connect_timeout);
    setup.ssh_program = find_executable("ssh").value_or("");
    setup.runner = &ctx.runner();
    setup.login_user = passwd_name();
    return ops::ssh_options(setup);
}

ops::ServicesConfig services_config(Context& ctx, const TargetFlags& flags) {
    ops::ServicesConfig config;
    config.state_dir = ctx.state_dir();
    config.ssh = ssh_options(ctx, flags.connect);
    config.identity = {login_name(), host_name(), static_cast<int>(::getpid())};
    config.cancel = &ctx.cancellation();
    return config;
}

std::chrono::seconds parse_duration(const std::string& text) {
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        ++digits;
    }
    std::string unit = text.substr(digits);
    int scale = unit.empty() || unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : 0;
    if (digits == 0 || digits > 6 || scale == 0) {
        throw usage_error(fmt::format("invalid duration '{}' (examples: 90s, 5m, 1h)", text));
    }
    return std::chrono::seconds(std::stol(text.substr(0, digits)) * scale);
}

std::string render_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], widths[i]);
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out += line + "\n";
    }
    return out;
}

void add_wait_flag(CLI::App* cmd, WaitFlag& flag) {
    flag.option = cmd->add_option("--wait", flag.value,
                                  "Queue for the deploy lease (default 10m) instead of failing "
                                  "when another deploy holds it")
                      ->expected(0, 1)
                      ->type_name("DURATION");
}

std::optional<std::chrono::seconds> wait_of(const WaitFlag& flag) {
    if (flag.option == nullptr || flag.option->count() == 0) {
        return std::nullopt;
    }
    return flag.value.empty() ? std::chrono::seconds(600) : parse_duration(flag.value);
}

} // namespace wm::cli
