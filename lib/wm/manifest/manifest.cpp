#include <wm/manifest/manifest.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace wm::manifest {

namespace {
template <typename T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
    auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
    return it == items.end() ? nullptr : &*it;
}

constexpr std::array<std::pair<Provider, std::string_view>, 2> k_providers{{
    {Provider::local, "local"},
    {Provider::static_hosts, "static"},
}};

} // namespace

std::string_view to_string(Provider p) {
    for (const auto& [provider, word] : k_providers) {
        if (provider == p) {
            return word;
        }
    }
    return "unknown";
}

std::optional<Provider> provider_from_string(std::string_view word) {
    for (const auto& [provider, w] : k_providers) {
        if (w == word) {
            return provider;
        }
    }
    return std::nullopt;
}

std::string provider_names() {
    std::string out;
    for (const auto& [provider, word] : k_providers) {
        out += (out.empty() ? "" : ", ") + std::string(word);
    }
    return out;
}

const RackSpec* Manifest::find_rack(const std::string& name) const {
    return find_named(racks, name);
}
const EnvironmentSpec* Manifest::find_environment(const std::string& name) const {
    return find_named(environments, name);
}
const StackSpec* Manifest::find_stack(const std::string& name) const {
    return find_named(stacks, name);
}

} // namespace wm::manifest
