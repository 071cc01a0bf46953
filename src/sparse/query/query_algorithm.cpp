#include "tandem/sparse/query/query_algorithm.hpp"

#include "tandem/core/error.hpp"

namespace tandem::sparse {

std::string_view to_string(QueryAlgorithm algorithm) {
  switch (algorithm) {
    case QueryAlgorithm::exhaustive:
      return "exhaustive";
    case QueryAlgorithm::maxscore:
      return "maxscore";
    case QueryAlgorithm::wand:
      return "wand";
    case QueryAlgorithm::block_max_wand:
      return "block_max_wand";
    case QueryAlgorithm::block_max_maxscore:
      return "block_max_maxscore";
  }
  return "unknown";
}

QueryAlgorithm parse_query_algorithm(std::string_view name) {
  for (QueryAlgorithm a : kQueryAlgorithms) {
    if (name == to_string(a)) return a;
  }
  if (name == "bmw") return QueryAlgorithm::block_max_wand;
  if (name == "bmm") return QueryAlgorithm::block_max_maxscore;
  fail(ErrorKind::invalid_argument,
       "unknown query algorithm '{}' (expected exhaustive, maxscore, wand, block_max_wand or bmw, "
       "block_max_maxscore or bmm)",
       name);
}

}  // namespace tandem::sparse
