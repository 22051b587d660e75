#include <wm/base/error.hpp>
#include <wm/ops/build.hpp>
#include <wm/rack/inventory.hpp>
#include <wm/state/store.hpp>

#include <fmt/format.h>

namespace wm::ops {

namespace {

std::vector<manifest::StackSpec> chosen_stacks(const manifest::Manifest& m,
                                               const std::string& name) {
    if (name.empty()) {
        return m.stacks;
    }
    const manifest::StackSpec* stack = m.find_stack(name);
    if (stack == nullptr) {
        std::string known;
        for (const auto& s : m.stacks) {
            known += (known.empty() ? "" : ", ") + s.name;
        }
        throw usage_error(
            fmt::format("unknown stack '{}' in {} (stacks: {})", name, m.file, known));
    }
    return {*stack};
}

} // namespace

std::vector<BuiltStack> build_stacks(const BuildStacksRequest& request, ProcessRunner& runner,
                                     Reporter& reporter,
                                     const std::function<void(const BuiltStack&)>& on_built) {
    manifest::Manifest m =
        rack::load_manifest(request.manifest_path, state::Store(request.state_dir));
    std::vector<BuiltStack> built;
    for (const manifest::StackSpec& stack : chosen_stacks(m, request.stack)) {
        build::BuildRequest req;
        req.repo_dir = request.manifest_path.parent_path();
        req.stack = stack;
        req.ref = request.ref;
        req.allow_dirty = request.allow_dirty;
        req.state_dir = request.state_dir;
        built.push_back({stack.name, build::build_stack(req, runner, reporter)});
        if (on_built) {
            on_built(built.back());
        }
    }
    return built;
}

std::string render_built(const BuiltStack& built) {
    const build::BuildResult& r = built.result;
    return fmt::format("{} {}{}: {}\n  sha256 {}\n", built.stack, r.source.short_commit,
                       r.source.dirty ? " (dirty)" : "", r.slug_path.string(), r.sha256) +
           (r.reused ? "  reused: same commit and config already built\n" : "");
}

nlohmann::json to_json(const std::vector<BuiltStack>& builds) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& b : builds) {
        out.push_back({{"stack", b.stack},
                       {"slug", b.result.slug_path.string()},
                       {"sha256", b.result.sha256},
                       {"reused", b.result.reused},
                       {"release", b.result.release_json}});
    }
    return {{"event", "result"}, {"builds", out}};
}

} // namespace wm::ops
