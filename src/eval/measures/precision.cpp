// Precision and recall at cutoffs: P, recall, relative_P, success, unj, Rprec, Rprec_mult
// (trec_eval m_P.c, m_recall.c, m_rel_P.c, m_success.c, m_unjudged.c, m_Rprec.c, m_Rprec_mult.c).
// A cutoff beyond the retrieved documents counts the missing ones as not relevant.
#include <algorithm>
#include <array>

#include "../measure_params.hpp"
#include "factories.hpp"

namespace tandem::eval::detail {

namespace {

constexpr std::array<std::int64_t, 9> kDefaultCutoffs{5, 10, 15, 20, 30, 100, 200, 500, 1000};

template <std::size_t N>
std::vector<std::int64_t> long_cutoffs(std::string_view name, Params params,
                                       const std::array<std::int64_t, N>& defaults) {
  return params ? parse_long_cutoffs(name, *params)
                : std::vector<std::int64_t>(defaults.begin(), defaults.end());
}

// The shape shared by P, recall, relative_P, success and unj: walk the ranking counting
// documents that pass `counts`; at each cutoff c reached, value = at_cutoff(count, c); cutoffs
// beyond the ranking get at_cutoff(final count, c).
template <typename Counts, typename AtCutoff>
void walk_cutoffs(const JudgedRanking& r, const std::vector<std::int64_t>& cutoffs,
                  std::span<double> v, Counts counts, AtCutoff at_cutoff) {
  std::size_t cut = 0;
  std::int64_t so_far = 0;
  for (std::int64_t i = 0; i < r.num_ret; ++i) {
    if (i == cutoffs[cut]) {
      v[cut] = at_cutoff(so_far, i);
      if (++cut == cutoffs.size()) break;
    }
    if (counts(r.rels[static_cast<std::size_t>(i)])) ++so_far;
  }
  for (; cut < cutoffs.size(); ++cut) v[cut] = at_cutoff(so_far, cutoffs[cut]);
}

}  // namespace

MeasurePtr make_P(Params params) {
  auto cutoffs = long_cutoffs("P", params, kDefaultCutoffs);
  auto names = long_cutoff_names("P", cutoffs);
  return make_measure(
      "P", std::move(names), kMean,
      [cutoffs](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        walk_cutoffs(
            r, cutoffs, v, [&](std::int64_t rel) { return rel >= o.relevance_level; },
            [](std::int64_t rel, std::int64_t at) {
              return static_cast<double>(rel) / static_cast<double>(at);
            });
      });
}

MeasurePtr make_recall(Params params) {
  auto cutoffs = long_cutoffs("recall", params, kDefaultCutoffs);
  auto names = long_cutoff_names("recall", cutoffs);
  return make_measure(
      "recall", std::move(names), kMean,
      [cutoffs](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        if (r.num_rel == 0) return;
        walk_cutoffs(
            r, cutoffs, v, [&](std::int64_t rel) { return rel >= o.relevance_level; },
            [&](std::int64_t rel, std::int64_t) {
              return static_cast<double>(rel) / static_cast<double>(r.num_rel);
            });
      });
}

MeasurePtr make_relative_P(Params params) {
  auto cutoffs = long_cutoffs("relative_P", params, kDefaultCutoffs);
  auto names = long_cutoff_names("relative_P", cutoffs);
  return make_measure(
      "relative_P", std::move(names), kMean,
      [cutoffs](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        if (r.num_rel == 0) return;
        walk_cutoffs(
            r, cutoffs, v, [&](std::int64_t rel) { return rel >= o.relevance_level; },
            [&](std::int64_t rel, std::int64_t at) {
              return static_cast<double>(rel) /
                     static_cast<double>(at > r.num_rel ? r.num_rel : at);
            });
      });
}

MeasurePtr make_success(Params params) {
  auto cutoffs = long_cutoffs("success", params, std::array<std::int64_t, 3>{1, 5, 10});
  auto names = long_cutoff_names("success", cutoffs);
  return make_measure(
      "success", std::move(names), kMean,
      [cutoffs](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        walk_cutoffs(
            r, cutoffs, v, [&](std::int64_t rel) { return rel >= o.relevance_level; },
            [](std::int64_t rel, std::int64_t) { return rel ? 1.0 : 0.0; });
      });
}

MeasurePtr make_unj(Params params) {
  auto cutoffs = long_cutoffs("unj", params, std::array<std::int64_t, 3>{5, 10, 20});
  auto names = long_cutoff_names("unj", cutoffs);
  return make_measure(
      "unj", std::move(names), kMean,
      [cutoffs](const JudgedRanking& r, const EvalOptions&, std::span<double> v, std::string&) {
        walk_cutoffs(
            r, cutoffs, v,
            [](std::int64_t rel) { return rel == kNotInPool || rel == kUnjudgedInPool; },
            [](std::int64_t unj, std::int64_t at) {
              return static_cast<double>(unj) / static_cast<double>(at);
            });
      });
}

MeasurePtr make_Rprec(Params) {
  return make_single(
      "Rprec", kMean,
      [](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        const std::int64_t look_at = std::min(r.num_ret, r.num_rel);
        if (look_at == 0) return;
        std::int64_t rel_so_far = 0;
        for (std::int64_t i = 0; i < look_at; ++i) {
          if (r.rels[static_cast<std::size_t>(i)] >= o.relevance_level) ++rel_so_far;
        }
        v[0] = static_cast<double>(rel_so_far) / static_cast<double>(r.num_rel);
      });
}

// Precision at multiples of R: cutoff = (long)(multiple * R + 0.9) documents.
MeasurePtr make_Rprec_mult(Params params) {
  auto multiples = params ? parse_double_cutoffs("Rprec_mult", *params)
                          : std::vector<double>{0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0};
  require_within("Rprec_mult", multiples, 1e6);
  auto names = double_cutoff_names("Rprec_mult", multiples);
  return make_measure(
      "Rprec_mult", std::move(names), kMean,
      [multiples](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        std::vector<std::int64_t> cutoffs(multiples.size());
        for (std::size_t i = 0; i < multiples.size(); ++i) {
          cutoffs[i] =
              static_cast<std::int64_t>(multiples[i] * static_cast<double>(r.num_rel) + 0.9);
        }
        std::int64_t cut = static_cast<std::int64_t>(cutoffs.size()) - 1;
        while (cut >= 0 && cutoffs[static_cast<std::size_t>(cut)] > r.num_ret) {
          v[static_cast<std::size_t>(cut)] =
              static_cast<double>(r.num_rel_ret) /
              static_cast<double>(cutoffs[static_cast<std::size_t>(cut)]);
          --cut;
        }
        std::int64_t rel_so_far = r.num_rel_ret;
        for (std::int64_t i = r.num_ret; i > 0 && rel_so_far > 0; --i) {
          const double precis = static_cast<double>(rel_so_far) / static_cast<double>(i);
          while (cut >= 0 && i == cutoffs[static_cast<std::size_t>(cut)]) {
            v[static_cast<std::size_t>(cut)] = precis;
            --cut;
          }
          if (r.rels[static_cast<std::size_t>(i - 1)] >= o.relevance_level) --rel_so_far;
        }
      });
}

}  // namespace tandem::eval::detail
