#include <wm/manifest/manifest.hpp>

#include <algorithm>

namespace wm::manifest {

namespace {
template <typename T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
    auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
    return it == items.end() ? nullptr : &*it;
}
} // namespace

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
