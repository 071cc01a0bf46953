// Building blocks for the measure implementations. Private to the eval layer.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tandem/eval/evaluate.hpp"
#include "tandem/eval/measure.hpp"

namespace tandem::eval::detail {

/// The parameter text given after "name." in -m, if any.
using Params = std::optional<std::string_view>;

/// How a measure prints and aggregates (trec_eval's init/acc/avg/print procedure choice).
struct Traits {
  ValueFormat format;
  Aggregation aggregation;
  bool per_query;
};
/// A value averaged over queries (te_*_meas_s_double / a_cut).
inline constexpr Traits kMean{ValueFormat::real, Aggregation::mean, true};
/// A count summed over queries (te_*_meas_s_long with te_calc_avg_meas_empty).
inline constexpr Traits kCount{ValueFormat::integer, Aggregation::sum, true};
/// A log value whose mean is exponentiated, printed only in the summary (gm_map, gm_bpref).
inline constexpr Traits kGeometric{ValueFormat::real, Aggregation::geometric_mean, false};

/// A measure whose computation is the callable `fn(ranking, options, values, text)`.
template <typename Fn>
class LambdaMeasure final : public Measure {
 public:
  LambdaMeasure(std::string name, std::vector<std::string> value_names, Traits traits, Fn fn)
      : Measure(std::move(name), std::move(value_names), traits.format, traits.aggregation,
                traits.per_query),
        fn_(std::move(fn)) {}

  void compute(const JudgedRanking& ranking, const EvalOptions& options, std::span<double> values,
               std::string& text) const override {
    fn_(ranking, options, values, text);
  }

 private:
  Fn fn_;
};

template <typename Fn>
std::shared_ptr<const Measure> make_measure(std::string name, std::vector<std::string> value_names,
                                            Traits traits, Fn fn) {
  return std::make_shared<LambdaMeasure<Fn>>(std::move(name), std::move(value_names), traits,
                                             std::move(fn));
}

/// A single-valued measure named after itself.
template <typename Fn>
std::shared_ptr<const Measure> make_single(std::string name, Traits traits, Fn fn) {
  std::vector<std::string> names{name};
  return make_measure(std::move(name), std::move(names), traits, std::move(fn));
}

}  // namespace tandem::eval::detail
