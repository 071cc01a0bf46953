// The word-at-a-time run scanners against their plain loops, on seeded random bytes.
#include "text/ascii_runs.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace tandem::text::detail {
namespace {

std::size_t plain_letter_run(const char* p, const char* end) {
  std::size_t n = 0;
  for (; p + n < end; ++n) {
    const auto b = static_cast<unsigned char>(p[n]);
    if (!((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z'))) break;
  }
  return n;
}

std::size_t plain_visible_run(const char* p, const char* end) {
  std::size_t n = 0;
  while (p + n<end&& static_cast<unsigned char>(p[n])> 0x20 &&
         static_cast<unsigned char>(p[n]) < 0x80)
    ++n;
  return n;
}

TEST(AsciiRuns, MatchPlainLoops) {
  std::mt19937_64 rng(7);
  // Mostly letters, with every byte value now and then (including the edges @ [ ` { and 0x80+).
  const std::string interesting = "AZaz@[`{ \x20\x21\x7F\x80\xFF\x1F\t";
  for (int round = 0; round < 20000; ++round) {
    std::string s(1 + rng() % 40, 'x');
    for (char& c : s) {
      const auto r = rng() % 10;
      c = r < 6   ? static_cast<char>('a' + rng() % 26)
          : r < 8 ? interesting[rng() % interesting.size()]
                  : static_cast<char>(rng() % 256);
    }
    for (std::size_t from = 0; from < s.size(); ++from) {
      const char* p = s.data() + from;
      const char* end = s.data() + s.size();
      ASSERT_EQ(ascii_letter_run(p, end), plain_letter_run(p, end)) << round;
      ASSERT_EQ(ascii_visible_run(p, end), plain_visible_run(p, end)) << round;
    }
  }
}

TEST(AsciiRuns, Examples) {
  const std::string s = "Hello, world";
  EXPECT_EQ(ascii_letter_run(s.data(), s.data() + s.size()), 5u);
  EXPECT_EQ(ascii_visible_run(s.data(), s.data() + s.size()), 6u);
  const std::string t = "abcdefghijKLMNOPQRSTuvwxyz\xC3\xA9";
  EXPECT_EQ(ascii_letter_run(t.data(), t.data() + t.size()), 26u);
}

}  // namespace
}  // namespace tandem::text::detail
