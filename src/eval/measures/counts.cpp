// Counting measures: runid, num_q, num_ret, num_rel, num_rel_ret, num_nonrel_judged_ret
// (trec_eval m_runid.c, m_num_q.c, m_num_ret.c, m_num_rel.c, m_num_rel_ret.c,
// m_num_nonrel_judged_ret.c). Parameters are ignored, as trec_eval ignores them.
#include "factories.hpp"

namespace tandem::eval::detail {

namespace {
constexpr auto kNothing = [](const JudgedRanking&, const EvalOptions&, std::span<double>,
                             std::string&) {};
}  // namespace

MeasurePtr make_runid(Params) {
  return make_single("runid", Traits{ValueFormat::text, Aggregation::run_id, false}, kNothing);
}

MeasurePtr make_num_q(Params) {
  return make_single("num_q", Traits{ValueFormat::integer, Aggregation::num_queries, false},
                     [](const JudgedRanking&, const EvalOptions&, std::span<double> v,
                        std::string&) { v[0] = 1; });
}

MeasurePtr make_num_ret(Params) {
  return make_single("num_ret", kCount,
                     [](const JudgedRanking& r, const EvalOptions&, std::span<double> v,
                        std::string&) { v[0] = static_cast<double>(r.num_ret); });
}

MeasurePtr make_num_rel(Params) {
  return make_single("num_rel", kCount,
                     [](const JudgedRanking& r, const EvalOptions&, std::span<double> v,
                        std::string&) { v[0] = static_cast<double>(r.num_rel); });
}

MeasurePtr make_num_rel_ret(Params) {
  return make_single("num_rel_ret", kCount,
                     [](const JudgedRanking& r, const EvalOptions&, std::span<double> v,
                        std::string&) { v[0] = static_cast<double>(r.num_rel_ret); });
}

MeasurePtr make_num_nonrel_judged_ret(Params) {
  return make_single(
      "num_nonrel_judged_ret", kCount,
      [](const JudgedRanking& r, const EvalOptions&, std::span<double> v, std::string&) {
        v[0] = static_cast<double>(r.num_ret) - static_cast<double>(r.num_nonpool) -
               static_cast<double>(r.num_unjudged_in_pool) - static_cast<double>(r.num_rel_ret);
      });
}

}  // namespace tandem::eval::detail
