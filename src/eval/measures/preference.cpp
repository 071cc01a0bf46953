// Measures built for incomplete judgments, which skip retrieved documents outside the pool:
// bpref, gm_bpref, infAP (trec_eval m_bpref.c, m_gm_bpref.c, m_infap.c).
// Cite: Buckley and Voorhees, "Retrieval Evaluation with Incomplete Information", SIGIR 2004;
// Yilmaz and Aslam, "Estimating Average Precision with Incomplete and Imperfect Judgments", CIKM
// 2006.
#include <algorithm>
#include <cmath>

#include "factories.hpp"

namespace tandem::eval::detail {

namespace {

constexpr double kMinGeoMean = .00001;    // trec_eval's MIN_GEO_MEAN
constexpr double kInfApEpsilon = .00001;  // trec_eval's INFAP_EPSILON

double as_double(std::int64_t x) {
  return static_cast<double>(x);
}

// bpref: for each judged relevant document, the fraction of the first min(R, N) judged
// non-relevant documents ranked above it is a penalty; averaged over R.
double bpref(const JudgedRanking& r, std::int64_t level) {
  std::int64_t num_nonrel = 0;  // judged with 0 <= grade < level
  for (const LevelCount& lc : r.levels) {
    if (lc.level < level) num_nonrel += lc.count;
  }
  std::int64_t nonrel_so_far = 0;
  double sum = 0.0;
  for (std::int64_t j = 0; j < r.num_ret; ++j) {
    const std::int64_t rel = r.rels[static_cast<std::size_t>(j)];
    if (rel == kNotInPool || rel == kUnjudgedInPool) continue;
    if (rel >= 0 && rel < level) {
      ++nonrel_so_far;
    } else if (nonrel_so_far > 0) {
      sum += 1.0 - (as_double(std::min(nonrel_so_far, r.num_rel)) /
                    as_double(std::min(num_nonrel, r.num_rel)));
    } else {
      sum += 1.0;
    }
  }
  if (r.num_rel) sum /= as_double(r.num_rel);
  return sum;
}

}  // namespace

MeasurePtr make_bpref(Params) {
  return make_single("bpref", kMean,
                     [](const JudgedRanking& r, const EvalOptions& o, std::span<double> v,
                        std::string&) { v[0] = bpref(r, o.relevance_level); });
}

MeasurePtr make_gm_bpref(Params) {
  return make_single(
      "gm_bpref", kGeometric,
      [](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        v[0] = std::log(std::max(bpref(r, o.relevance_level), kMinGeoMean));
      });
}

MeasurePtr make_infAP(Params) {
  return make_single(
      "infAP", kMean,
      [](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        std::int64_t nonrel_so_far = 0;
        std::int64_t rel_so_far = 0;
        std::int64_t pool_unjudged_so_far = 0;
        double inf_ap = 0.0;
        for (std::int64_t j = 0; j < r.num_ret; ++j) {
          const std::int64_t rel = r.rels[static_cast<std::size_t>(j)];
          if (rel == kNotInPool) continue;
          if (rel == kUnjudgedInPool) {
            ++pool_unjudged_so_far;
            continue;
          }
          if (rel >= 0 && rel < o.relevance_level) {
            ++nonrel_so_far;
            continue;
          }
          ++rel_so_far;
          if (j == 0) {
            inf_ap += 1.0;
          } else {
            const double fj = as_double(j);
            inf_ap += 1.0 / (fj + 1.0) +
                      (fj / (fj + 1.0)) *
                          (as_double(rel_so_far - 1 + nonrel_so_far + pool_unjudged_so_far) / fj) *
                          ((as_double(rel_so_far - 1) + kInfApEpsilon) /
                           (as_double(rel_so_far - 1 + nonrel_so_far) + 2 * kInfApEpsilon));
          }
        }
        if (r.num_rel) inf_ap /= as_double(r.num_rel);
        v[0] = inf_ap;
      });
}

}  // namespace tandem::eval::detail
