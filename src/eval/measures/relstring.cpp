// relstring: the grades of the first N retrieved documents as a string (trec_eval m_relstring.c):
// '0'-'9' a grade, '>' a grade above 9, '-' not in the pool, '.' in the pool but unjudged.
// Printed for each query only.
#include "../measure_params.hpp"
#include "factories.hpp"

namespace tandem::eval::detail {

MeasurePtr make_relstring(Params params) {
  const double length = params ? parse_double_params("relstring", *params).front() : 10.0;
  return make_single(
      params_name("relstring", params), Traits{ValueFormat::text, Aggregation::none, true},
      [length](const JudgedRanking& r, const EvalOptions&, std::span<double>, std::string& text) {
        // trec_eval: len = MIN((long) length, num_ret), at least 0.
        std::int64_t len = r.num_ret;
        if (length < 0) {
          len = 0;
        } else if (length < static_cast<double>(r.num_ret)) {
          len = static_cast<std::int64_t>(length);
        }
        text.clear();
        for (std::int64_t i = 0; i < len; ++i) {
          const std::int64_t rel = r.rels[static_cast<std::size_t>(i)];
          char c = '<';
          if (rel > 9) {
            c = '>';
          } else if (rel >= 0) {
            c = static_cast<char>('0' + rel);
          } else if (rel == kNotInPool) {
            c = '-';
          } else if (rel == kUnjudgedInPool) {
            c = '.';
          }
          text.push_back(c);
        }
      });
}

}  // namespace tandem::eval::detail
