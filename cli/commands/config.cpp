// wm config list|set|unset (also `wm stack config ...`): config and secrets on the servers.
#include "commands.hpp"
#include "deploy_support.hpp"

#include <wm/base/error.hpp>
#include <wm/ops/config.hpp>

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

namespace wm::cli {

namespace {

struct ConfigFlags {
    TargetFlags target;
    WaitFlag wait;
    bool reveal = false;
    std::vector<std::string> pairs; ///< NAME=VALUE, or NAME for unset
    std::vector<std::string> files; ///< NAME=PATH
    std::string stdin_name;         ///< the value of NAME is read from stdin
};

std::pair<std::string, std::string> split_pair(const std::string& text, const char* form) {
    size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        throw usage_error(fmt::format("'{}': expected {}", text, form));
    }
    return {text.substr(0, eq), text.substr(eq + 1)};
}

std::string read_value_file(const std::string& name, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw usage_error(fmt::format("config {}: cannot read {}", name, path));
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// From stdin, as `$(...)` would give it: one trailing newline dropped (echo, here-strings).
std::string read_stdin_value() {
    std::string value{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    if (!value.empty() && value.back() == '\n') {
        value.pop_back();
    }
    return value;
}

ops::ConfigChanges set_changes(const ConfigFlags& f) {
    ops::ConfigChanges changes;
    for (const auto& pair : f.pairs) {
        auto [name, value] = split_pair(pair, "NAME=VALUE");
        changes[name] = value;
    }
    for (const auto& pair : f.files) {
        auto [name, path] = split_pair(pair, "NAME=PATH");
        changes[name] = read_value_file(name, path);
    }
    if (!f.stdin_name.empty()) {
        changes[f.stdin_name] = read_stdin_value();
    }
    return changes;
}

std::string shown(const std::string& value) {
    std::string out;
    for (char c : value) {
        out += c == '\n' ? std::string("\\n") : std::string(1, c);
    }
    return out;
}

void run_list(Context& ctx, const ConfigFlags& f) {
    ops::RealServices services(services_config(ctx, f.target), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    std::vector<ops::ConfigEntry> entries =
        ops::config_list(target_of(ctx, f.target), services.env());
    if (ctx.options.json) {
        ctx.print_json(ops::config_list_json(entries, f.reveal));
        return;
    }
    if (entries.empty()) {
        ctx.print("no config\n");
        return;
    }
    std::vector<std::vector<std::string>> rows{{"STACK", "NAME", "SOURCE"}};
    if (f.reveal) {
        rows.front().push_back("VALUE");
    }
    for (const auto& e : entries) {
        rows.push_back({e.stack, e.name, e.source});
        if (f.reveal) {
            rows.back().push_back(shown(e.value));
        }
    }
    ctx.print(render_table(rows) + "(server config set with `wm config set` wins over "
                                   "widemesh.yaml; values only with --reveal)\n");
}

void run_change(Context& ctx, const ConfigFlags& f, ops::ConfigChanges changes) {
    ops::RealServices services(services_config(ctx, f.target), ctx.reporter(), ctx.runner(),
                               ctx.clock());
    ops::ConfigChangeResult r = ops::config_change(
        {target_of(ctx, f.target), std::move(changes), wait_of(f.wait)}, services.env());
    if (ctx.options.json) {
        ctx.print_json(r.to_json());
        return;
    }
    std::string text =
        fmt::format("Stored {} on {}\n", r.description, fmt::join(r.stored_on, ", "));
    if (!r.release) {
        text += "Nothing runs yet: the next deploy applies it\n";
    } else {
        for (const auto& s : r.release->stacks) {
            text += fmt::format("{} {} v{} to {}\n", s.unchanged ? "Already running" : "Released",
                                s.stack, s.version, r.release->environment);
        }
    }
    ctx.print(text);
}

void add_config_to(CLI::App* group, Context& ctx) {
    group->require_subcommand(1);
    group->footer("Server config (set here) wins over the config of widemesh.yaml.\nExamples:\n"
                  "  wm config set -e production LOG_LEVEL=debug\n"
                  "  printf %s \"$TOKEN\" | wm config set --stdin API_TOKEN\n"
                  "  wm config set --file TLS_KEY=./key.pem -s api\n"
                  "  wm config list --reveal\n  wm config unset LOG_LEVEL");
    auto list_flags = std::make_shared<ConfigFlags>();
    CLI::App* list = group->add_subcommand("list", "Every variable, where it comes from");
    add_target_flags(list, list_flags->target);
    list->add_flag("--reveal", list_flags->reveal, "Show the values too");
    add_global_flags(*list, ctx);
    list->callback([&ctx, list_flags] { run_list(ctx, *list_flags); });

    auto set_flags = std::make_shared<ConfigFlags>();
    CLI::App* set = group->add_subcommand(
        "set", "Store variables on the servers and roll the running stacks with them");
    set->add_option("pairs", set_flags->pairs, "NAME=VALUE ...");
    add_target_flags(set, set_flags->target);
    // --file is NAME=PATH here (as in `heroku config:set`-like tools); the manifest moves to -m.
    set->remove_option(set->get_option("--file"));
    set->add_option("-m,--manifest", set_flags->target.file, "Manifest (default: ./widemesh.yaml)");
    set->add_option("--file", set_flags->files, "NAME=PATH: the value is the file's bytes");
    set->add_option("--stdin", set_flags->stdin_name,
                    "NAME: the value is read from stdin (one trailing newline dropped)");
    add_wait_flag(set, set_flags->wait);
    add_global_flags(*set, ctx);
    set->callback([&ctx, set_flags] { run_change(ctx, *set_flags, set_changes(*set_flags)); });

    auto unset_flags = std::make_shared<ConfigFlags>();
    CLI::App* unset = group->add_subcommand(
        "unset", "Remove variables from the servers and roll the running stacks without them");
    unset->add_option("names", unset_flags->pairs, "NAME ...")->required();
    add_target_flags(unset, unset_flags->target);
    add_wait_flag(unset, unset_flags->wait);
    add_global_flags(*unset, ctx);
    unset->callback([&ctx, unset_flags] {
        ops::ConfigChanges changes;
        for (const auto& name : unset_flags->pairs) {
            changes[name] = std::nullopt;
        }
        run_change(ctx, *unset_flags, changes);
    });
}

} // namespace

void add_config_command(CLI::App& app, Context& ctx) {
    add_config_to(app.add_subcommand("config", "Config and secrets kept on the servers"), ctx);
    CLI::App* stack = app.add_subcommand("stack", "Stack settings");
    stack->require_subcommand(1);
    add_config_to(stack->add_subcommand("config", "Alias of `wm config`"), ctx);
}

} // namespace wm::cli
