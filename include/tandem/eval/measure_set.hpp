// Choosing measures the way trec_eval's -m does: names, parameters, nicknames.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tandem/eval/measure.hpp"

namespace tandem::eval {

/// The measures to compute, in trec_eval's output order (the order of its measure table, not the
/// order they were asked for). Cheap to copy: measures are shared and immutable.
class MeasureSet {
 public:
  MeasureSet() = default;
  explicit MeasureSet(std::vector<std::shared_ptr<const Measure>> measures)
      : measures_(std::move(measures)) {}

  const std::vector<std::shared_ptr<const Measure>>& measures() const { return measures_; }
  bool empty() const { return measures_.empty(); }

 private:
  std::vector<std::shared_ptr<const Measure>> measures_;
};

/// Parses trec_eval -m arguments: "map", "P.5,10" (name '.' comma-separated parameters),
/// "ndcg.1=3,2=9" (gain per grade), or a nickname: "official", "set", "all_trec". No arguments
/// means "official", as in trec_eval. When a measure is given parameters more than once, the
/// first are used; a measure without parameters uses trec_eval's defaults (P, recall, map_cut,
/// ndcg_cut, relative_P: 5,10,15,20,30,100,200,500,1000; success: 1,5,10; unj: 5,10,20;
/// iprec_at_recall: 0,.1,...,1; Rprec_mult: .2,.4,...,2). Cutoffs must be positive integers
/// without duplicates. Throws Error(invalid_argument) on an unknown name or bad parameters.
MeasureSet parse_measures(const std::vector<std::string>& args);

/// The names trec_eval knows, in its output order (what parse_measures accepts besides nicknames).
std::vector<std::string> measure_names();
/// The nicknames and the measures each stands for.
std::vector<std::pair<std::string, std::vector<std::string>>> measure_nicknames();

}  // namespace tandem::eval
