#include <wm/rack/fanout.hpp>

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>

namespace wm::rack {

namespace {

std::optional<Error> run_one(const std::function<void(size_t)>& task, size_t i) {
    try {
        task(i);
        return std::nullopt;
    } catch (const Error& e) {
        return e;
    } catch (const std::exception& e) {
        return Error(e.what());
    } catch (...) {
        return Error("unknown failure");
    }
}

} // namespace

std::vector<std::optional<Error>> run_parallel(size_t count, int max_parallel,
                                               const std::function<void(size_t)>& task) {
    std::vector<std::optional<Error>> errors(count);
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i = next++; i < count; i = next++) {
            errors[i] = run_one(task, i);
        }
    };
    size_t threads = std::min<size_t>(count, static_cast<size_t>(std::max(max_parallel, 1)));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) {
        try {
            pool.emplace_back(worker);
        } catch (const std::system_error&) {
            break; // fewer threads than asked: the remaining ones still do all the work
        }
    }
    worker();
    for (auto& t : pool) {
        t.join();
    }
    return errors;
}

} // namespace wm::rack
