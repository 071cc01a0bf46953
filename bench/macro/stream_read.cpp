// A STREAM-like read kernel: the memory bandwidth one core gets summing a buffer far larger than
// the caches. bench/macro/dense_vs_peers.py compiles it (g++ -O3 -march=native, a benchmark tool
// only) and compares the exact-search scan against it.
//   stream_read MiB [repeats] -> prints {"read_gb_per_s": best, "mib": ...}
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  const std::size_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1024;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::size_t n = mib * (1u << 20) / sizeof(float);
  std::vector<float> x(n, 1.0f);
  double best = 0;
  float sink = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    float s[16] = {};
    for (std::size_t i = 0; i + 16 <= n; i += 16) {
      for (int j = 0; j < 16; ++j) s[j] += x[i + j];
    }
    for (float v : s) sink += v;
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double gbs = static_cast<double>(n * sizeof(float)) / secs / 1e9;
    if (gbs > best) best = gbs;
  }
  std::printf("{\"read_gb_per_s\": %.3f, \"mib\": %zu, \"sink\": %g}\n", best, mib,
              static_cast<double>(sink));
  return 0;
}
