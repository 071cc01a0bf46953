// The query algorithms by name: the one place a string becomes an algorithm (style.md, point 5).
#pragma once

#include <array>
#include <string_view>

namespace tandem::sparse {

/// Top-k disjunctive (OR) evaluation strategies. All return exactly the same top-k, scores and
/// order (the exhaustive one is their oracle); they differ in how much they skip.
enum class QueryAlgorithm {
  exhaustive,          // scores every posting (query/exhaustive.hpp)
  maxscore,            // Turtle & Flood 1995 (query/maxscore.hpp)
  wand,                // Broder et al. 2003 (query/wand.hpp)
  block_max_wand,      // Ding & Suel 2011 (query/block_max_wand.hpp)
  block_max_maxscore,  // MaxScore with block-max skips (query/block_max_maxscore.hpp)
};

inline constexpr std::array<QueryAlgorithm, 5> kQueryAlgorithms = {
    QueryAlgorithm::exhaustive, QueryAlgorithm::maxscore, QueryAlgorithm::wand,
    QueryAlgorithm::block_max_wand, QueryAlgorithm::block_max_maxscore};

/// The algorithm a search uses when none is named: the fastest at k = 10 in
/// bench/micro/query_bench.
inline constexpr QueryAlgorithm kDefaultQueryAlgorithm = QueryAlgorithm::block_max_maxscore;

/// The canonical name: "exhaustive", "maxscore", "wand", "block_max_wand", "block_max_maxscore".
std::string_view to_string(QueryAlgorithm algorithm);

/// The algorithm with this canonical name or short alias ("bmw", "bmm"). Throws
/// Error(invalid_argument) listing the valid names otherwise.
QueryAlgorithm parse_query_algorithm(std::string_view name);

}  // namespace tandem::sparse
