// Graded-gain measures: dcg, ideal_dcg, ndcg, ndcg_rel, Rndcg, ndcg_cut, binG, G, rbp, rbp_resid
// (trec_eval m_ndcg.c, m_ndcg_rel.c, m_Rndcg.c, m_ndcg_cut.c, m_binG.c, m_G.c, m_rbp.c,
// m_rbp_resid.c). Gains are linear in the grade unless given as "grade=gain" parameters, and the
// discount is log2(rank + 1) (Jarvelin and Kekalainen, ACM TOIS 20(4), 2002). ndcg_cut ignores
// gain parameters and uses the grades themselves. Cite for rbp: Moffat and Zobel, "Rank-Biased
// Precision for Measurement of Retrieval Effectiveness", ACM TOIS 27(1), 2008.
#include <cmath>
#include <cstring>

#include "factories.hpp"
#include "gains.hpp"

namespace tandem::eval::detail {

namespace {

double as_double(std::int64_t x) {
  return static_cast<double>(x);
}
double discount(std::int64_t i) {
  return std::log2(as_double(i + 2));
}  // doc i has rank i + 1

std::vector<ParamPair> pairs_of(std::string_view name, Params params) {
  return params ? parse_param_pairs(name, *params) : std::vector<ParamPair>{};
}

// Walks the ideal ranking: the gains in decreasing order, each as many times as documents were
// judged with it, stopping at the first gain <= 0. Mirrors trec_eval's cur_level/num_at_level loop.
class IdealGains {
 public:
  explicit IdealGains(std::span<const RelGain> gains)
      : gains_(gains), level_(static_cast<std::int64_t>(gains.size()) - 1) {
    gain_ = level_ >= 0 ? gains_[static_cast<std::size_t>(level_)].gain : 0.0;
  }
  /// Moves to the next position and returns the ideal gain there.
  double advance() {
    ++num_at_level_;
    while (level_ >= 0 && num_at_level_ > gains_[static_cast<std::size_t>(level_)].num_at_level) {
      num_at_level_ = 1;
      --level_;
      gain_ = level_ >= 0 ? gains_[static_cast<std::size_t>(level_)].gain : 0.0;
    }
    return gain_;
  }
  /// The ideal gain at the current position (the first entry's before any advance()).
  double gain() const { return gain_; }

 private:
  std::span<const RelGain> gains_;
  std::int64_t level_;
  std::int64_t num_at_level_ = 0;
  double gain_;
};

struct Dcg {
  double results = 0.0;
  double ideal = 0.0;
};

Dcg dcg_and_ideal(const JudgedRanking& r, std::span<const RelGain> gains) {
  Dcg dcg;
  IdealGains ideal(gains);
  std::int64_t i = 0;
  for (; i < r.num_ret && ideal.gain() > 0.0; ++i) {
    const double gain = get_gain(r.rels[static_cast<std::size_t>(i)], gains);
    if (gain != 0) dcg.results += gain / discount(i);
    if (ideal.advance() > 0.0) dcg.ideal += ideal.gain() / discount(i);
  }
  for (; i < r.num_ret; ++i) {
    const double gain = get_gain(r.rels[static_cast<std::size_t>(i)], gains);
    if (gain != 0) dcg.results += gain / discount(i);
  }
  for (; ideal.gain() > 0.0; ++i) {
    if (ideal.advance() > 0.0) dcg.ideal += ideal.gain() / discount(i);
  }
  return dcg;
}

enum class DcgOutput { dcg, ideal, ndcg };

MeasurePtr make_dcg_measure(std::string_view name, DcgOutput output, Params params) {
  return make_single(
      params_name(name, params), kMean,
      [pairs = pairs_of(name, params), output](const JudgedRanking& r, const EvalOptions&,
                                               std::span<double> v, std::string&) {
        const std::vector<RelGain> gains = setup_gains(pairs, r);
        const Dcg dcg = dcg_and_ideal(r, gains);
        switch (output) {
          case DcgOutput::dcg:
            v[0] = dcg.results;
            break;
          case DcgOutput::ideal:
            v[0] = dcg.ideal;
            break;
          case DcgOutput::ndcg:
            if (dcg.ideal > 0.0) v[0] = dcg.results / dcg.ideal;
            break;
        }
      });
}

}  // namespace

MeasurePtr make_dcg(Params params) {
  return make_dcg_measure("dcg", DcgOutput::dcg, params);
}
MeasurePtr make_ideal_dcg(Params params) {
  return make_dcg_measure("ideal_dcg", DcgOutput::ideal, params);
}
MeasurePtr make_ndcg(Params params) {
  return make_dcg_measure("ndcg", DcgOutput::ndcg, params);
}

// ndcg averaged over the relevant documents (gain > 0): ndcg at the rank of each one retrieved,
// and final dcg / ideal dcg for each one not retrieved. Experimental in trec_eval.
MeasurePtr make_ndcg_rel(Params params) {
  return make_single(
      params_name("ndcg_rel", params), kMean,
      [pairs = pairs_of("ndcg_rel", params)](const JudgedRanking& r, const EvalOptions&,
                                             std::span<double> v, std::string&) {
        const std::vector<RelGain> gains = setup_gains(pairs, r);
        IdealGains ideal(gains);
        double results_dcg = 0.0, ideal_dcg = 0.0, sum = 0.0;
        std::int64_t num_rel_ret = 0, num_rel = 0;
        std::int64_t i = 0;
        for (; i < r.num_ret && ideal.gain() > 0.0; ++i) {
          const double gain = get_gain(r.rels[static_cast<std::size_t>(i)], gains);
          if (gain != 0) results_dcg += gain / discount(i);
          if (ideal.advance() > 0.0) {
            ++num_rel;
            ideal_dcg += ideal.gain() / discount(i);
          }
          if (gain > 0) {
            sum += results_dcg / ideal_dcg;
            ++num_rel_ret;
          }
        }
        for (; i < r.num_ret; ++i) {
          const double gain = get_gain(r.rels[static_cast<std::size_t>(i)], gains);
          if (gain != 0) results_dcg += gain / discount(i);
          if (gain > 0) {
            sum += results_dcg / ideal_dcg;
            ++num_rel_ret;
          }
        }
        for (; ideal.gain() > 0.0; ++i) {
          if (ideal.advance() > 0.0) {
            ++num_rel;
            ideal_dcg += ideal.gain() / discount(i);
          }
        }
        sum += as_double(num_rel - num_rel_ret) * results_dcg / ideal_dcg;
        if (sum > 0.0) v[0] = sum / as_double(num_rel);
      });
}

// ndcg averaged over the ranks where the ideal gain changes (and the end of the ranking).
// Experimental in trec_eval; 0/0 (NaN) there too when the ideal gain never changes.
MeasurePtr make_Rndcg(Params params) {
  return make_single(params_name("Rndcg", params), kMean,
                     [pairs = pairs_of("Rndcg", params)](const JudgedRanking& r, const EvalOptions&,
                                                         std::span<double> v, std::string&) {
                       const std::vector<RelGain> gains = setup_gains(pairs, r);
                       if (r.num_rel == 0) return;
                       IdealGains ideal(gains);
                       double results_dcg = 0.0, ideal_dcg = 0.0, sum = 0.0;
                       double old_ideal_gain = ideal.gain();
                       std::int64_t num_changed = 0;
                       const auto at_change = [&] {
                         if (old_ideal_gain != ideal.gain()) {
                           if (ideal_dcg > 0.0) {
                             sum += results_dcg / ideal_dcg;
                             ++num_changed;
                           }
                           old_ideal_gain = ideal.gain();
                         }
                       };
                       std::int64_t i = 0;
                       for (; i < r.num_ret && ideal.gain() > 0.0; ++i) {
                         const double gain = get_gain(r.rels[static_cast<std::size_t>(i)], gains);
                         ideal.advance();
                         at_change();
                         if (gain != 0) results_dcg += gain / discount(i);
                         if (ideal.gain() > 0.0) ideal_dcg += ideal.gain() / discount(i);
                       }
                       if (i < r.num_ret) {
                         for (; i < r.num_ret; ++i) {
                           const double gain = get_gain(r.rels[static_cast<std::size_t>(i)], gains);
                           if (gain != 0) results_dcg += gain / discount(i);
                         }
                         if (ideal_dcg > 0.0) {
                           sum += results_dcg / ideal_dcg;
                           ++num_changed;
                         }
                       }
                       for (; ideal.gain() > 0.0; ++i) {
                         ideal.advance();
                         at_change();
                         if (ideal.gain() > 0.0) ideal_dcg += ideal.gain() / discount(i);
                       }
                       v[0] = sum / as_double(num_changed);
                     });
}

// ndcg at cutoffs, with the grades as gains (gain parameters are not supported, as in
// trec_eval); the ideal ranking holds the judged documents of grade >= 1, best first.
MeasurePtr make_ndcg_cut(Params params) {
  auto cutoffs = params ? parse_long_cutoffs("ndcg_cut", *params)
                        : std::vector<std::int64_t>{5, 10, 15, 20, 30, 100, 200, 500, 1000};
  auto names = long_cutoff_names("ndcg_cut", cutoffs);
  return make_measure(
      "ndcg_cut", std::move(names), kMean,
      [cutoffs](const JudgedRanking& r, const EvalOptions&, std::span<double> v, std::string&) {
        std::size_t cut = 0;
        double sum = 0.0;
        for (std::int64_t i = 0; i < r.num_ret; ++i) {
          if (i == cutoffs[cut]) {
            v[cut] = sum;
            if (++cut == cutoffs.size()) break;
          }
          const double gain = as_double(r.rels[static_cast<std::size_t>(i)]);
          if (gain > 0) sum += gain / discount(i);
        }
        for (; cut < cutoffs.size(); ++cut) v[cut] = sum;
        // Normalise each value by the ideal dcg over the same number of documents.
        cut = 0;
        double ideal_dcg = 0.0;
        std::int64_t i = 0;
        for (auto level = r.levels.rbegin(); level != r.levels.rend() && level->level >= 1;
             ++level) {
          for (std::int64_t k = 0; k < level->count; ++k, ++i) {
            if (i == cutoffs[cut]) {
              if (ideal_dcg > 0.0) v[cut] /= ideal_dcg;
              if (++cut == cutoffs.size()) return;
            }
            ideal_dcg += as_double(level->level) / discount(i);
          }
        }
        for (; cut < cutoffs.size(); ++cut) {
          if (ideal_dcg > 0.0) v[cut] /= ideal_dcg;
        }
      });
}

// Binary G: mean over relevant documents of 1 / log2(2 + non-relevant documents ranked above).
MeasurePtr make_binG(Params) {
  return make_single(
      "binG", kMean,
      [](const JudgedRanking& r, const EvalOptions& o, std::span<double> v, std::string&) {
        std::int64_t rel_so_far = 0;
        double sum = 0.0;
        for (std::int64_t i = 0; i < r.num_ret; ++i) {
          if (r.rels[static_cast<std::size_t>(i)] >= o.relevance_level) {
            ++rel_so_far;
            sum += 1.0 / std::log2(as_double(3 + i - rel_so_far));
          }
        }
        if (rel_so_far) v[0] = sum / as_double(r.num_rel);
      });
}

// G: each document's gain discounted by log2(2 + ideal cost so far - gain so far), normalised by
// the ideal total gain. Experimental in trec_eval.
MeasurePtr make_G(Params params) {
  return make_single(params_name("G", params), kMean,
                     [pairs = pairs_of("G", params)](const JudgedRanking& r, const EvalOptions&,
                                                     std::span<double> v, std::string&) {
                       const std::vector<RelGain> gains = setup_gains(pairs, r);
                       constexpr double kMinCost = 1.0;
                       IdealGains ideal(gains);
                       double results_g = 0.0, sum_results = 0.0, sum_ideal = 0.0, sum_cost = 0.0;
                       std::int64_t i = 0;
                       for (; i < r.num_ret && ideal.gain() > 0.0; ++i) {
                         const double gain = get_gain(r.rels[static_cast<std::size_t>(i)], gains);
                         sum_results += gain;
                         const double ideal_gain = ideal.advance();
                         if (ideal_gain > 0.0) sum_ideal += ideal_gain;
                         sum_cost += ideal_gain >= kMinCost ? ideal_gain : kMinCost;
                         if (gain != 0) results_g += gain / std::log2(2 + sum_cost - sum_results);
                       }
                       for (; i < r.num_ret; ++i) {
                         const double gain = get_gain(r.rels[static_cast<std::size_t>(i)], gains);
                         sum_results += gain;
                         sum_cost += kMinCost;
                         if (gain != 0) results_g += gain / std::log2(2 + sum_cost - sum_results);
                       }
                       for (; ideal.gain() > 0.0; ++i) {
                         if (const double ideal_gain = ideal.advance(); ideal_gain > 0.0)
                           sum_ideal += ideal_gain;
                       }
                       if (sum_ideal > 0.0) v[0] = results_g / sum_ideal;
                     });
}

// Rank-biased precision with persistence p (default 0.9, "p=0.8" sets it); grade gains are
// rescaled to [0, 1] when any lies outside (trec_eval reads the bounds of that rescaling from
// uninitialised variables; we start them at 0, which is what it evidently means).
MeasurePtr make_rbp(Params params) {
  return make_single(params_name("rbp", params), kMean,
                     [pairs = pairs_of("rbp", params)](const JudgedRanking& r, const EvalOptions&,
                                                       std::span<double> v, std::string&) {
                       double p = 0.9;
                       for (const ParamPair& pair : pairs) {
                         if (pair.name == "p") p = pair.value;
                       }
                       std::vector<RelGain> gains = setup_gains(pairs, r);
                       double min = 0.0, max = 0.0;
                       for (const RelGain& g : gains) {
                         if (g.gain < min) min = g.gain;
                         if (g.gain > max) max = g.gain;
                       }
                       if (min < 0 || max > 1) {
                         for (RelGain& g : gains) g.gain = (g.gain - min) / (max - min);
                       }
                       double sum = 0.0, cur_p = 1.0;
                       for (std::int64_t i = 0; i < r.num_ret; ++i) {
                         const double gain = get_gain(r.rels[static_cast<std::size_t>(i)], gains);
                         if (gain != 0) sum += gain * cur_p;
                         cur_p = cur_p * p;
                       }
                       v[0] = (1.0 - p) * sum;
                     });
}

// The most rbp could grow if every retrieved document outside the judgments had gain 1.
MeasurePtr make_rbp_resid(Params params) {
  return make_single(
      params_name("rbp_resid", params), kMean,
      [pairs = pairs_of("rbp_resid", params)](const JudgedRanking& r, const EvalOptions&,
                                              std::span<double> v, std::string&) {
        double p = 0.9;
        for (const ParamPair& pair : pairs) {
          if (pair.name == "p") p = pair.value;
        }
        std::int64_t unj_so_far = 0;
        double sum = 0.0, cur_p = 1.0;
        for (std::int64_t i = 0; i < r.num_ret; ++i) {
          if (r.rels[static_cast<std::size_t>(i)] < 0) {
            ++unj_so_far;
            sum += cur_p;
          }
          cur_p = cur_p * p;
        }
        if (unj_so_far) v[0] = cur_p + (1 - p) * sum;
      });
}

}  // namespace tandem::eval::detail
