#include "tandem/eval/measure.hpp"

#include <algorithm>
#include <utility>

namespace tandem::eval {

std::int64_t JudgedRanking::count_at_level(std::int64_t level) const {
  const auto it =
      std::lower_bound(levels.begin(), levels.end(), level,
                       [](const LevelCount& lc, std::int64_t l) { return lc.level < l; });
  return it != levels.end() && it->level == level ? it->count : 0;
}

Measure::Measure(std::string name, std::vector<std::string> value_names, ValueFormat format,
                 Aggregation aggregation, bool per_query)
    : name_(std::move(name)),
      value_names_(std::move(value_names)),
      format_(format),
      aggregation_(aggregation),
      per_query_(per_query) {}

}  // namespace tandem::eval
