// Elapsed time on the steady clock, for latencies and stage timings in statistics.
#pragma once

#include <chrono>

namespace tandem {

/// Microseconds from `start` to now.
inline double micros_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace tandem
