// wm: the command-line control plane. Parses argv, dispatches to a command, and is the one
// place that catches errors and turns them into exit codes.
#include "commands/commands.hpp"
#include "context.hpp"
#include "interrupt.hpp"
#include "version.hpp"

#include <wm/base/error.hpp>

#include <fmt/format.h>

#include <cstdio>

namespace {

int print_error(const wm::Error& e, bool color) {
    std::string prefix = color ? "\033[1;31mwm: error:\033[0m " : "wm: error: ";
    std::fprintf(stderr, "%s%s\n", prefix.c_str(), e.describe().c_str());
    if (!e.hint().empty()) {
        std::fprintf(stderr, "hint: %s\n", e.hint().c_str());
    }
    // An interrupted command exits as a shell reports the signal: 130 INT, 143 TERM, 129 HUP.
    if (e.exit_code() == wm::ExitCode::interrupted && wm::cli::interrupt_signal() != 0) {
        return 128 + wm::cli::interrupt_signal();
    }
    return static_cast<int>(e.exit_code());
}

int run(int argc, char** argv) {
    wm::cli::install_interrupt_handlers();
    wm::cli::Context ctx;
    CLI::App app{"wm: deploy apps from a git repo to your own servers over SSH, with zero "
                 "downtime.\n\nQuick start:\n  wm init      # write widemesh.yaml for this repo\n"
                 "  wm deploy    # build the committed source and run it on the local rack",
                 "wm"};
    app.require_subcommand(0, 1);
    app.fallthrough();
    bool show_version = false;
    app.add_flag("-V,--version", show_version, "Print wm's version and its libraries' versions");
    wm::cli::add_global_flags(app, ctx);
    for (auto add : wm::cli::k_commands) {
        add(app, ctx);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "wm: error: %s\nRun 'wm --help' for usage.\n", e.what());
        return static_cast<int>(wm::ExitCode::usage);
    } catch (const wm::Error& e) {
        return print_error(e, ctx.color());
    } catch (const std::exception& e) {
        return print_error(wm::Error(e.what()), ctx.color());
    }
    if (show_version) {
        wm::cli::print_version(ctx);
        return 0;
    }
    if (app.get_subcommands().empty()) {
        std::fputs(app.help().c_str(), stdout);
    }
    return ctx.exit_status;
}

} // namespace

int main(int argc, char** argv) { return run(argc, argv); }
