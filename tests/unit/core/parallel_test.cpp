#include "tandem/core/parallel.hpp"

#include <atomic>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(ParallelFor, VisitsEveryIndexOnce) {
  for (unsigned threads : {1u, 2u, 4u}) {
    std::vector<std::atomic<int>> seen(1000);
    parallel_for(
        seen.size(), threads,
        [&](std::size_t i, unsigned worker) {
          EXPECT_LT(worker, threads);
          seen[i]++;
        },
        7);
    for (const auto& s : seen) EXPECT_EQ(s.load(), 1);
  }
}

TEST(ParallelFor, RethrowsTheFirstError) {
  EXPECT_THROW(parallel_for(100, 2,
                            [](std::size_t i, unsigned) {
                              if (i == 42) throw std::runtime_error("boom");
                            }),
               std::runtime_error);
}

}  // namespace
}  // namespace tandem
