// Seeded test vectors and file writers shared by the dense tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace tandem::dense::test_data {

/// n vectors of dimension d from a seeded mixture of `clusters` Gaussian clusters (clustered data
/// is what HNSW and codes are for; uniform noise has no neighbours worth finding).
inline std::vector<float> clustered(std::size_t n, std::size_t d, std::uint64_t seed,
                                    std::size_t clusters = 16) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> centres(clusters * d);
  for (auto& c : centres) c = normal(rng);
  std::vector<float> x(n * d);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = rng() % clusters;
    for (std::size_t j = 0; j < d; ++j) x[i * d + j] = centres[c * d + j] + 0.5f * normal(rng);
  }
  return x;
}

/// Scales every row of x (dimension d) to unit length, as ingest does under cosine.
inline void normalise(std::vector<float>& x, std::size_t d) {
  for (std::size_t i = 0; i < x.size() / d; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < d; ++j) s += double(x[i * d + j]) * x[i * d + j];
    for (std::size_t j = 0; j < d; ++j)
      x[i * d + j] = static_cast<float>(x[i * d + j] / std::sqrt(s));
  }
}

/// Writes TEXMEX .fvecs.
inline void write_fvecs(const std::filesystem::path& path, const std::vector<float>& x,
                        std::size_t d) {
  std::string bytes;
  const auto dim = static_cast<std::int32_t>(d);
  for (std::size_t i = 0; i < x.size() / d; ++i) {
    bytes.append(reinterpret_cast<const char*>(&dim), 4);
    bytes.append(reinterpret_cast<const char*>(x.data() + i * d), 4 * d);
  }
  test::write_file(path, bytes);
}

/// Writes a float32 .npy (format 1.0).
inline void write_npy(const std::filesystem::path& path, const std::vector<float>& x,
                      std::size_t d) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(x.size() / d) + ", " + std::to_string(d) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  bytes.append(reinterpret_cast<const char*>(x.data()), 4 * x.size());
  test::write_file(path, bytes);
}

}  // namespace tandem::dense::test_data
