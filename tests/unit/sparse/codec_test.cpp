// Codec round trips: SIMD-BP128 at every width, tail bit streams, frequency codes, score frontiers.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/codec/bit_pack_128.hpp"
#include "tandem/sparse/codec/bit_stream.hpp"
#include "tandem/sparse/codec/score_frontier.hpp"

namespace tandem::sparse::codec {
namespace {

std::uint32_t max_of_width(unsigned bits) {
  return bits == 32 ? 0xFFFFFFFFu : (std::uint32_t{1} << bits) - 1;
}

std::vector<std::uint32_t> random_values(std::size_t n, unsigned bits, std::mt19937& rng) {
  std::vector<std::uint32_t> v(n);
  for (auto& x : v) x = static_cast<std::uint32_t>(rng()) & max_of_width(bits);
  return v;
}

TEST(BitPack128, RoundTripsEveryWidth) {
  std::mt19937 rng(7);
  for (unsigned bits = 0; bits <= 32; ++bits) {
    for (int pattern = 0; pattern < 4; ++pattern) {
      std::vector<std::uint32_t> in = random_values(128, bits, rng);
      if (pattern == 1) std::fill(in.begin(), in.end(), max_of_width(bits));  // all ones
      if (pattern == 2) std::fill(in.begin(), in.end(), 0u);
      if (pattern == 3) in[127] = max_of_width(bits);
      // One spare byte on each side catches writes outside the block.
      std::vector<std::byte> buf(packed128_bytes(bits) + 2, std::byte{0xAB});
      pack128(in.data(), bits, buf.data() + 1);
      EXPECT_EQ(buf.front(), std::byte{0xAB});
      EXPECT_EQ(buf.back(), std::byte{0xAB});
      std::array<std::uint32_t, 128> out{};
      unpack128(buf.data() + 1, bits, out.data());
      ASSERT_TRUE(std::equal(in.begin(), in.end(), out.begin())) << "bits " << bits;
      unpack128_plus_one(buf.data() + 1, bits, out.data());
      for (int j = 0; j < 128; ++j) ASSERT_EQ(out[j], in[j] + 1) << bits << " " << j;
    }
  }
}

TEST(BitPack128, VerticalLayout) {
  // Integer j sits in lane j % 4 at row j / 4. At 1 bit, row r is bit r of each 32-bit lane of the
  // single 16-byte word: integer 5 (lane 1, row 1) is bit 1 of bytes 4..7, i.e. byte 4 = 0x02.
  std::array<std::uint32_t, 128> in{};
  in[5] = 1;
  std::array<std::byte, 16> out{};
  pack128(in.data(), 1, out.data());
  for (int i = 0; i < 16; ++i) EXPECT_EQ(out[i], i == 4 ? std::byte{0x02} : std::byte{0}) << i;
  // At 32 bits the block is the integers in order.
  for (int j = 0; j < 128; ++j) in[j] = 0x01020304u * static_cast<std::uint32_t>(j);
  std::vector<std::byte> raw(512);
  pack128(in.data(), 32, raw.data());
  EXPECT_EQ(std::memcmp(raw.data(), in.data(), 512), 0);
}

TEST(BitPack128, DocGapsArePrefixSums) {
  std::mt19937 rng(11);
  for (unsigned bits = 0; bits <= 32; ++bits) {
    const std::vector<std::uint32_t> gaps = random_values(128, bits, rng);
    std::vector<std::byte> buf(packed128_bytes(bits));
    pack128(gaps.data(), bits, buf.data());
    for (std::uint32_t base : {0xFFFFFFFFu, 0u, 12345u}) {
      std::array<std::uint32_t, 128> out{};
      unpack128_doc_gaps(buf.data(), bits, base, out.data());
      std::uint32_t doc = base;
      for (int j = 0; j < 128; ++j) {
        doc = doc + gaps[j] + 1;  // modular, as documented
        ASSERT_EQ(out[j], doc) << bits << " " << j;
      }
    }
  }
}

TEST(BitStream, RoundTripsEveryWidthAndLength) {
  std::mt19937 rng(3);
  for (unsigned bits = 0; bits <= 32; ++bits) {
    for (std::size_t n = 0; n < 128; n += (n < 10 ? 1 : 13)) {
      const std::vector<std::uint32_t> in = random_values(n, bits, rng);
      const std::size_t bytes = bit_stream_bytes(n, bits);
      EXPECT_EQ(bytes, (n * bits + 7) / 8);
      // Exactly sized buffer: ASan reports any read or write past it.
      std::vector<std::byte> buf(bytes);
      pack_bits(in.data(), n, bits, buf.data());
      std::vector<std::uint32_t> out(n + 1, 0xDEADBEEF);
      unpack_bits(buf.data(), n, bits, out.data());
      ASSERT_TRUE(std::equal(in.begin(), in.end(), out.begin())) << bits << " " << n;
      EXPECT_EQ(out[n], 0xDEADBEEF);
    }
  }
}

TEST(BitStream, TwoRunsShareOneStream) {
  // A tail block's gaps and frequencies: the second run starts at the first run's last bit, in an
  // exactly sized buffer, and reading either run touches no byte outside the stream.
  std::mt19937 rng(5);
  for (unsigned a_bits = 0; a_bits <= 32; a_bits += 3) {
    for (unsigned b_bits = 0; b_bits <= 32; b_bits += 5) {
      for (std::size_t n = 0; n < 128; n += (n < 5 ? 1 : 29)) {
        const std::vector<std::uint32_t> a = random_values(n, a_bits, rng);
        const std::vector<std::uint32_t> b = random_values(n + 1, b_bits, rng);
        const std::size_t second = n * a_bits;
        std::vector<std::byte> buf((second + (n + 1) * b_bits + 7) / 8);
        pack_bits(a.data(), n, a_bits, buf.data());
        pack_bits(b.data(), n + 1, b_bits, buf.data(), second);
        std::vector<std::uint32_t> out(n + 1);
        unpack_bits(buf.data(), n, a_bits, out.data());
        ASSERT_TRUE(std::equal(a.begin(), a.end(), out.begin())) << a_bits << " " << n;
        unpack_bits(buf.data(), n + 1, b_bits, out.data(), second);
        ASSERT_TRUE(std::equal(b.begin(), b.end(), out.begin())) << b_bits << " " << n;
      }
    }
  }
}

TEST(BitStream, LeastSignificantBitFirst) {
  const std::uint32_t in[3] = {1, 2,
                               3};  // 3 bits each: 001 010 011 -> bits 0..8 = 1,0,0,0,1,0,1,1,0
  std::array<std::byte, 2> out{};
  pack_bits(in, 3, 3, out.data());
  EXPECT_EQ(out[0], std::byte{0xD1});  // 0b11010001
  EXPECT_EQ(out[1], std::byte{0x00});
}

TEST(FreqCode, RoundsUpAndIsMonotone) {
  for (std::uint32_t f = 0; f < 24; ++f) {
    EXPECT_EQ(freq_code_ceil(f), f);
    EXPECT_EQ(freq_code_value(static_cast<std::uint8_t>(f)), static_cast<float>(f));
  }
  EXPECT_EQ(freq_code_ceil(96), 57);  // 96 is a code value exactly
  EXPECT_EQ(freq_code_ceil(97), 58);  // next code: (2 | 8) << 3 + 24 = 104
  EXPECT_EQ(freq_code_value(58), 104.0f);
  EXPECT_EQ(freq_code_value(255), INFINITY);
  EXPECT_EQ(freq_code_ceil(0xFFFFFFFFu), 255);
  std::uint8_t prev = 0;
  for (std::uint64_t f = 1; f <= 0xFFFFFFFFull; f = f < 5000 ? f + 1 : f * 1013 / 1000) {
    const std::uint8_t c = freq_code_ceil(static_cast<std::uint32_t>(f));
    EXPECT_GE(freq_code_value(c), static_cast<float>(f)) << f;
    if (c > 0 && c < 255) {
      EXPECT_LT(lucene_norm_length(static_cast<std::uint8_t>(c - 1)), f) << f;
    }
    EXPECT_GE(c, prev);
    prev = c;
  }
}

std::vector<FreqNorm> brute_frontier(const std::vector<FreqNorm>& pairs) {
  std::vector<FreqNorm> out;
  for (const FreqNorm& p : pairs) {
    bool dominated = false;
    for (const FreqNorm& q : pairs) {
      if (dominates(q, p) && !(q == p)) dominated = true;
    }
    if (!dominated && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  std::sort(out.begin(), out.end(),
            [](const FreqNorm& a, const FreqNorm& b) { return a.norm < b.norm; });
  return out;
}

TEST(ScoreFrontier, MatchesBruteForce) {
  std::mt19937 rng(5);
  for (int round = 0; round < 300; ++round) {
    std::vector<FreqNorm> pairs(1 + rng() % 130);
    for (auto& p : pairs) {
      p.freq = 1 + rng() % (round % 3 == 0 ? 3 : 100);
      p.norm = static_cast<std::uint8_t>(rng() % (round % 2 == 0 ? 256 : 8));
    }
    const std::vector<FreqNorm> expected = brute_frontier(pairs);
    std::vector<FreqNorm> got = pairs;
    pareto_frontier(got);
    ASSERT_EQ(got, expected) << round;
    for (std::size_t i = 1; i < got.size(); ++i) {
      EXPECT_LT(got[i - 1].norm, got[i].norm);
      EXPECT_LT(got[i - 1].freq, got[i].freq);
    }
    for (std::size_t cap : {1u, 2u, 4u, 8u}) {
      std::vector<FreqNorm> coarse = got;
      coarsen_frontier(coarse, cap, 30.0);
      EXPECT_LE(coarse.size(), cap);
      EXPECT_EQ(coarse.size(), std::min(cap, got.size()));
      for (const FreqNorm& p : pairs) {
        EXPECT_TRUE(std::any_of(coarse.begin(), coarse.end(),
                                [&](const FreqNorm& q) { return dominates(q, p); }));
      }
    }
  }
}

TEST(ScoreFrontier, CoarseningToOnePairIsMaxFreqMinNorm) {
  std::vector<FreqNorm> f = {{1, 3}, {4, 9}, {9, 40}};
  coarsen_frontier(f, 1, 20.0);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0], (FreqNorm{9, 3}));
}

}  // namespace
}  // namespace tandem::sparse::codec
