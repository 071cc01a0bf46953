// Regression driver for the fuzz targets when libFuzzer is not used: runs every seed file of a
// corpus folder, then `mutations` deterministic mutations of the seeds (bit flips, truncations,
// byte insertions and splices). A crash, sanitizer report or escaped exception fails the test;
// the target itself is expected to catch tandem::Error, the only exception bad input may raise.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::uint8_t> mutate(const std::vector<std::vector<std::uint8_t>>& seeds,
                                 std::mt19937_64& rng) {
  std::vector<std::uint8_t> x = seeds[rng() % seeds.size()];
  const int steps = 1 + static_cast<int>(rng() % 4);
  for (int s = 0; s < steps; ++s) {
    switch (rng() % 6) {
      case 0:  // flip a bit
        if (!x.empty()) x[rng() % x.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        break;
      case 1:  // truncate
        if (!x.empty()) x.resize(rng() % x.size());
        break;
      case 2:  // insert random bytes
        for (int i = 0, n = 1 + static_cast<int>(rng() % 8); i < n; ++i) {
          x.insert(x.begin() + static_cast<std::ptrdiff_t>(x.empty() ? 0 : rng() % (x.size() + 1)),
                   static_cast<std::uint8_t>(rng()));
        }
        break;
      case 3:  // insert an interesting byte (quote, brace, backslash, newline, tab, NUL, 0xff)
      {
        static constexpr std::uint8_t kBytes[] = {'"',  '{',  '}', '[',  ']', '\\',
                                                  '\n', '\t', 0,   0xff, ':', ','};
        x.insert(x.begin() + static_cast<std::ptrdiff_t>(x.empty() ? 0 : rng() % (x.size() + 1)),
                 kBytes[rng() % sizeof(kBytes)]);
      } break;
      case 4:  // splice with another seed
      {
        const auto& y = seeds[rng() % seeds.size()];
        if (!y.empty()) {
          const std::size_t from = rng() % y.size();
          x.insert(x.end(), y.begin() + static_cast<std::ptrdiff_t>(from), y.end());
        }
      } break;
      default:  // overwrite a byte
        if (!x.empty()) x[rng() % x.size()] = static_cast<std::uint8_t>(rng());
        break;
    }
  }
  return x;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS]\n", argv[0]);
    return 2;
  }
  const long mutations = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 1000;
  std::vector<std::vector<std::uint8_t>> seeds;
  if (std::filesystem::is_directory(argv[1])) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(argv[1])) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  if (seeds.empty()) seeds.emplace_back();
  for (const auto& s : seeds) LLVMFuzzerTestOneInput(s.data(), s.size());
  std::mt19937_64 rng(20261128);
  for (long i = 0; i < mutations; ++i) {
    const auto x = mutate(seeds, rng);
    LLVMFuzzerTestOneInput(x.data(), x.size());
  }
  std::printf("ran %zu seeds and %ld mutations\n", seeds.size(), mutations);
  return 0;
}
