// Fork-join parallel loops over index ranges, for batch work (ingest, batch search, encoding).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tandem {

/// The number of worker threads to use when the user asked for `requested` (0 = all hardware
/// threads).
inline unsigned resolve_threads(unsigned requested) {
  if (requested != 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

/// Calls fn(i, worker) for every i in [0, n) on `threads` workers (worker in [0, threads)), handing
/// out indexes in chunks of `grain` from a shared counter, so uneven items balance out. Runs inline
/// when threads <= 1. If any call throws, the remaining items are abandoned and the first exception
/// is rethrown on the calling thread after all workers have stopped.
template <typename Fn>
void parallel_for(std::size_t n, unsigned threads, Fn&& fn, std::size_t grain = 1) {
  grain = std::max<std::size_t>(grain, 1);
  threads = std::max(1u, threads);
  if (threads == 1 || n <= grain) {
    for (std::size_t i = 0; i < n; ++i) fn(i, 0u);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&](unsigned worker) {
    try {
      while (!stop.load(std::memory_order_relaxed)) {
        const std::size_t begin = next.fetch_add(grain, std::memory_order_relaxed);
        if (begin >= n) break;
        const std::size_t end = std::min(n, begin + grain);
        for (std::size_t i = begin; i < end; ++i) fn(i, worker);
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      stop = true;
    }
  };
  const unsigned used =
      static_cast<unsigned>(std::min<std::size_t>(threads, (n + grain - 1) / grain));
  std::vector<std::thread> pool;
  pool.reserve(used - 1);
  for (unsigned w = 1; w < used; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace tandem
