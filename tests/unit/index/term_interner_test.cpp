#include "tandem/index/term_interner.hpp"

#include <string>
#include <unordered_map>

#include <gtest/gtest.h>

namespace tandem::index {
namespace {

TEST(TermInterner, AssignsIdsInFirstAppearanceOrderAcrossGrowth) {
  TermInterner interner;
  std::unordered_map<std::string, std::uint32_t> expected;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 20000; ++i) {
      const std::string term = "t" + std::to_string(i * 7919 % 20000);
      const auto id = interner.intern(term);
      const auto [it, inserted] =
          expected.emplace(term, static_cast<std::uint32_t>(expected.size()));
      EXPECT_EQ(id, it->second);
      EXPECT_EQ(interner.term(id), term);
    }
  }
  EXPECT_EQ(interner.size(), 20000u);
  EXPECT_EQ(interner.intern(""), 20000u);  // the empty string is a term like any other
}

}  // namespace
}  // namespace tandem::index
