// Gain values per relevance grade for ndcg and the other graded measures (trec_eval gain_init.c).
// Private to the eval layer.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tandem/eval/measure.hpp"

#include "../measure_params.hpp"

namespace tandem::eval::detail {

/// A grade, its gain, and how many judged documents of the query have that grade.
struct RelGain {
  std::int64_t rel_level = 0;
  std::int64_t num_at_level = 0;
  double gain = 0;
};

/// trec_eval's setup_gains: one entry per "grade=gain" parameter whose name is an integer (in the
/// order given), then one per judged grade not listed there, with gain = grade; the judged count
/// goes to the first entry of its grade. Sorted by increasing gain, stably. Grades >= 1 without
/// judged documents are left out (trec_eval lists them with count 0; they can neither be
/// retrieved nor change the ideal ranking). trec_eval sorts with qsort and a comparator that
/// truncates gain differences to int, so custom gains less than 1 apart may come out in another
/// order there; with the default integer gains the orders agree.
std::vector<RelGain> setup_gains(std::span<const ParamPair> pairs, const JudgedRanking& ranking);

/// The gain of the first entry for `rel_level`, 0 if there is none (trec_eval's get_gain).
double get_gain(std::int64_t rel_level, std::span<const RelGain> gains);

}  // namespace tandem::eval::detail
