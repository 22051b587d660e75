#pragma once
// Running one function per server in parallel on a bounded number of threads. Each server's
// outcome is kept separately; no exception ever leaves a worker thread.

#include <wm/base/error.hpp>
#include <wm/base/reporter.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wm::rack {

/// How many servers are worked on at once (each holds one SSH connection).
struct FanOutOptions {
    int max_parallel = 8;
    bool report_progress = true; ///< Reporter::progress "running" / "ok" / "failed" per server
};

/// One server's outcome: a value, or the Error that ended its function.
template <typename T>
struct Outcome {
    std::string server;
    std::optional<T> value;
    std::optional<Error> error;
    bool ok() const { return !error.has_value(); }
};

/// An Error's cause plus its hint, for one-line per-server reports ("...; hint: ...").
inline std::string reason_of(const Error& e) {
    return e.hint().empty() ? std::string(e.what()) : std::string(e.what()) + "; hint: " + e.hint();
}

/// Runs `task(i)` for i in [0, count) on at most `max_parallel` threads (the calling thread is
/// one of them) and waits for all. Returns, per index, the Error it threw (any exception is
/// converted), or nullopt.
std::vector<std::optional<Error>> run_parallel(size_t count, int max_parallel,
                                               const std::function<void(size_t)>& task);

/// Runs `fn(i)` for every server `servers[i]` in parallel; each Outcome is named after its
/// server, in input order. Progress per server goes to `reporter` when enabled.
template <typename T>
std::vector<Outcome<T>> fan_out(const std::vector<std::string>& servers,
                                const std::function<T(size_t)>& fn, Reporter& reporter,
                                const FanOutOptions& options = {}) {
    std::vector<Outcome<T>> out(servers.size());
    auto errors = run_parallel(servers.size(), options.max_parallel, [&](size_t i) {
        out[i].server = servers[i];
        if (options.report_progress) {
            reporter.progress(servers[i], "running");
        }
        out[i].value = fn(i);
    });
    for (size_t i = 0; i < servers.size(); ++i) {
        out[i].server = servers[i];
        out[i].error = std::move(errors[i]);
        if (options.report_progress) {
            reporter.progress(servers[i],
                              out[i].ok() ? "ok" : "failed: " + reason_of(*out[i].error));
        }
    }
    return out;
}

} // namespace wm::rack
