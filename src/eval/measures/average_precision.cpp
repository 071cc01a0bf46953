// Average precision and interpolated precision: map, gm_map, map_cut, recip_rank,
// iprec_at_recall, 11pt_avg (trec_eval m_map.c, m_gm_map.c, m_map_cut.c, m_recip_rank.c,
// m_iprec_at_recall.c, m_11pt_avg.c).
#include <algorithm>
#include <array>
#include <cmath>

#include "tandem/core/error.hpp"

#include "../measure_params.hpp"
#include "factories.hpp"

namespace tandem::eval::detail {

namespace {

constexpr double kMinGeoMean = .00001;  // trec_eval's MIN_GEO_MEAN
constexpr std::array kRecallPoints{0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

std::vector<double> recall_points() {
  return {kRecallPoints.begin(), kRecallPoints.end()};
}

double as_double(std::int64_t x) {
  return static_cast<double>(x);
}

// Sum over relevant retrieved documents of precision at their rank, and how many there were.
double precision_sum(const JudgedRanking& r, std::int64_t level, std::int64_t& rel_so_far) {
  double sum = 0.0;
  rel_so_far = 0;
  for (std::int64_t i = 0; i < r.num_ret; ++i) {
    if (r.rels[static_cast<std::size_t>(i)] >= level) {
      ++rel_so_far;
      sum += as_double(rel_so_far) / as_double(i + 1);
    }
  }
  return sum;
}

// Interpolated precision (max precision at this or any deeper rank) at each recall point, as
// trec_eval computes it: recall point p is reached after (long)(p·R + 0.9) relevant documents.
// Calls emit(point index, interpolated precision) once per point, from the last point down.
template <typename Emit>
void interpolated_precision(const JudgedRanking& r, std::int64_t level,
                            const std::vector<double>& points, Emit emit) {
  std::vector<std::int64_t> cutoffs(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    cutoffs[i] = static_cast<std::int64_t>(points[i] * as_double(r.num_rel) + 0.9);
  }
  std::int64_t cut = static_cast<std::int64_t>(points.size()) - 1;
  while (cut >= 0 && cutoffs[static_cast<std::size_t>(cut)] > r.num_rel_ret) --cut;
  // trec_eval divides by num_ret without a check: 0/0 (NaN) when nothing is left after -M0 or -J.
  double int_precis = as_double(r.num_rel_ret) / as_double(r.num_ret);
  std::int64_t rel_so_far = r.num_rel_ret;
  for (std::int64_t i = r.num_ret; i > 0 && rel_so_far > 0; --i) {
    const double precis = as_double(rel_so_far) / as_double(i);
    if (int_precis < precis) int_precis = precis;
    if (r.rels[static_cast<std::size_t>(i - 1)] >= level) {
      while (cut >= 0 && rel_so_far == cutoffs[static_cast<std::size_t>(cut)]) {
        emit(static_cast<std::size_t>(cut), int_precis);
        --cut;
      }
      --rel_so_far;
    }
  }
  for (; cut >= 0; --cut) emit(static_cast<std::size_t>(cut), int_precis);
}

}  // namespace

MeasurePtr make_map(Params) {
  return make_single(
      "map", kMean,
      [](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        std::int64_t rel_so_far = 0;
        const double sum = precision_sum(r, o.relevance_level, rel_so_far);
        if (rel_so_far) v[0] = sum / as_double(r.num_rel);
      });
}

MeasurePtr make_gm_map(Params) {
  return make_single(
      "gm_map", kGeometric,
      [](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        std::int64_t rel_so_far = 0;
        double sum = precision_sum(r, o.relevance_level, rel_so_far);
        if (rel_so_far) sum = sum / as_double(r.num_rel);
        v[0] = std::log(std::max(sum, kMinGeoMean));
      });
}

MeasurePtr make_map_cut(Params params) {
  auto cutoffs = params ? parse_long_cutoffs("map_cut", *params)
                        : std::vector<std::int64_t>{5, 10, 15, 20, 30, 100, 200, 500, 1000};
  auto names = long_cutoff_names("map_cut", cutoffs);
  return make_measure(
      "map_cut", std::move(names), kMean,
      [cutoffs](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        if (r.num_rel == 0) return;
        std::size_t cut = 0;
        std::int64_t rel_so_far = 0;
        double sum = 0.0;
        for (std::int64_t i = 0; i < r.num_ret; ++i) {
          if (i == cutoffs[cut]) {
            v[cut] = sum / as_double(r.num_rel);
            if (++cut == cutoffs.size()) break;
          }
          if (r.rels[static_cast<std::size_t>(i)] >= o.relevance_level) {
            ++rel_so_far;
            sum += as_double(rel_so_far) / as_double(i + 1);
          }
        }
        for (; cut < cutoffs.size(); ++cut) v[cut] = sum / as_double(r.num_rel);
      });
}

MeasurePtr make_recip_rank(Params) {
  return make_single(
      "recip_rank", kMean,
      [](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        for (std::int64_t i = 0; i < r.num_ret; ++i) {
          if (r.rels[static_cast<std::size_t>(i)] >= o.relevance_level) {
            v[0] = 1.0 / as_double(i + 1);
            return;
          }
        }
      });
}

MeasurePtr make_iprec_at_recall(Params params) {
  auto points = params ? parse_double_cutoffs("iprec_at_recall", *params) : recall_points();
  require_within("iprec_at_recall", points, 1e6);
  auto names = double_cutoff_names("iprec_at_recall", points);
  return make_measure(
      "iprec_at_recall", std::move(names), kMean,
      [points](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        interpolated_precision(r, o.relevance_level, points,
                               [&](std::size_t i, double p) { v[i] = p; });
      });
}

// The mean of interpolated precision over the recall points, taken in the order given (trec_eval
// does not sort this measure's parameters); named "11pt_avg_<params>" when they are given.
MeasurePtr make_11pt_avg(Params params) {
  auto points = params ? parse_double_params("11pt_avg", *params) : recall_points();
  require_within("11pt_avg", points, 1e6);
  return make_single(
      params_name("11pt_avg", params), kMean,
      [points](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        double sum = 0.0;
        interpolated_precision(r, o.relevance_level, points,
                               [&](std::size_t, double p) { sum += p; });
        v[0] = sum / as_double(static_cast<std::int64_t>(points.size()));
      });
}

}  // namespace tandem::eval::detail
