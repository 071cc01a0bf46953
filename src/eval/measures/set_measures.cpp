// Measures of the retrieved set, ignoring its order: set_P, set_relative_P, set_recall, set_map,
// set_F, utility (trec_eval m_set_P.c, m_set_rel_P.c, m_set_recall.c, m_set_map.c, m_set_F.c,
// m_utility.c).
#include <algorithm>

#include "tandem/core/error.hpp"

#include "../measure_params.hpp"
#include "factories.hpp"

namespace tandem::eval::detail {

namespace {
double as_double(std::int64_t x) {
  return static_cast<double>(x);
}
}  // namespace

MeasurePtr make_set_P(Params) {
  return make_single(
      "set_P", kMean,
      [](const JudgedRanking& r, const EvalOptions&, std::span<double> v, std::string&) {
        if (r.num_ret) v[0] = as_double(r.num_rel_ret) / as_double(r.num_ret);
      });
}

MeasurePtr make_set_relative_P(Params) {
  return make_single(
      "set_relative_P", kMean,
      [](const JudgedRanking& r, const EvalOptions&, std::span<double> v, std::string&) {
        if (r.num_ret && r.num_rel) {
          v[0] = as_double(r.num_rel_ret) / as_double(std::min(r.num_ret, r.num_rel));
        }
      });
}

MeasurePtr make_set_recall(Params) {
  return make_single(
      "set_recall", kMean,
      [](const JudgedRanking& r, const EvalOptions&, std::span<double> v, std::string&) {
        if (r.num_rel) v[0] = as_double(r.num_rel_ret) / as_double(r.num_rel);
      });
}

MeasurePtr make_set_map(Params) {
  return make_single(
      "set_map", kMean,
      [](const JudgedRanking& r, const EvalOptions&, std::span<double> v, std::string&) {
        if (r.num_ret && r.num_rel) {
          v[0] = (as_double(r.num_rel_ret) * as_double(r.num_rel_ret)) /
                 (as_double(r.num_ret) * as_double(r.num_rel));
        }
      });
}

// set_F.x = (x+1)·P·R / (x·P + R), default x = 1; named "set_F_<params>" when given.
MeasurePtr make_set_F(Params params) {
  const double x = params ? parse_double_params("set_F", *params).front() : 1.0;
  return make_single(
      params_name("set_F", params), kMean,
      [x](const JudgedRanking& r, const EvalOptions&, std::span<double> v, std::string&) {
        if (r.num_rel_ret) {
          const double p = as_double(r.num_rel_ret) / as_double(r.num_ret);
          const double rc = as_double(r.num_rel_ret) / as_double(r.num_rel);
          v[0] = (x + 1.0) * p * rc / (x * p + rc);
        }
      });
}

// utility.a,b,c,d = a·relret + b·nonrelret + c·relnotret + d·nonrelnotret (needs -N for d).
MeasurePtr make_utility(Params params) {
  const std::vector<double> w =
      params ? parse_double_params("utility", *params) : std::vector<double>{1.0, -1.0, 0.0, 0.0};
  if (w.size() != 4) {
    fail(ErrorKind::invalid_argument, "measure 'utility' needs 4 coefficients, got {}", w.size());
  }
  return make_single(
      params_name("utility", params), kMean,
      [w](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        v[0] = w[0] * as_double(r.num_rel_ret) + w[1] * as_double(r.num_ret - r.num_rel_ret) +
               w[2] * as_double(r.num_rel - r.num_rel_ret) +
               w[3] * as_double(o.num_docs_in_collection + r.num_rel_ret - r.num_ret - r.num_rel);
      });
}

}  // namespace tandem::eval::detail
