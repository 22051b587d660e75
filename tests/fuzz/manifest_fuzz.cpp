// libFuzzer target: any bytes given to the manifest loader end in a manifest or in problems,
// within bounded time and memory (the run's -timeout and -rss_limit_mb enforce the bounds).
#include <wm/manifest/load.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    wm::manifest::CheckResult result = wm::manifest::check_string(text, "widemesh.yaml");
    // Exactly one of the two: a manifest, or at least one problem.
    if (result.manifest.has_value() == !result.problems.empty()) {
        __builtin_trap();
    }
    for (const auto& problem : result.problems) {
        (void)problem.format();
    }
    return 0;
}
