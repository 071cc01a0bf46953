#include "tandem/eval/measure.hpp"

#include <utility>

namespace tandem::eval {

Measure::Measure(std::string name, std::vector<std::string> value_names, ValueFormat format,
                 Aggregation aggregation, bool per_query)
    : name_(std::move(name)),
      value_names_(std::move(value_names)),
      format_(format),
      aggregation_(aggregation),
      per_query_(per_query) {}

}  // namespace tandem::eval
