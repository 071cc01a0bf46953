// The interface of an evaluation measure, and the per-query input every measure reads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tandem::eval {

struct EvalOptions;

/// Relevance given to a retrieved document that the qrels do not mention (trec_eval's
/// RELVALUE_NONPOOL), and to one the qrels list with a negative grade (RELVALUE_UNJUDGED).
inline constexpr std::int64_t kNotInPool = -1;
inline constexpr std::int64_t kUnjudgedInPool = -2;

/// How many judged documents of a query have a given grade (>= 0).
struct LevelCount {
  std::int64_t level = 0;
  std::int64_t count = 0;
};

/// One query's ranking joined with its judgments: trec_eval's RES_RELS, which every measure reads.
struct JudgedRanking {
  /// Relevance of each retrieved document in rank order (after -M and -J): its grade, or
  /// kNotInPool / kUnjudgedInPool. Size num_ret.
  std::span<const std::int64_t> rels;
  std::int64_t num_ret = 0;               // retrieved documents
  std::int64_t num_rel_ret = 0;           // retrieved with grade >= relevance level
  std::int64_t num_nonpool = 0;           // retrieved, not in the qrels
  std::int64_t num_unjudged_in_pool = 0;  // retrieved, in the qrels with a negative grade
  std::int64_t num_rel = 0;               // judged with grade >= relevance level (and >= 0)
  /// Judged grades >= 0 in ascending order, only those with a count > 0.
  std::span<const LevelCount> levels;
  /// 1 + the highest judged grade (0 when no grade >= 0 was judged).
  std::int64_t num_rel_levels = 0;
};

/// How a value is printed: "%6.4f", "%ld" of the value truncated, or as text.
enum class ValueFormat { real, integer, text };

/// How per-query values become the summary ("all") value.
enum class Aggregation {
  mean,            // arithmetic mean over the evaluated queries
  sum,             // sum (num_ret, num_rel, ...)
  geometric_mean,  // per-query values are logs; exp of their mean (gm_map, gm_bpref)
  num_queries,     // the number of evaluated queries (num_q)
  run_id,          // the run's tag (runid)
  none,            // no summary line (relstring)
};

/// An evaluation measure as trec_eval defines it: a root name ("P"), the values it produces
/// ("P_5", "P_10", ...), how they print and aggregate. Implementations are stateless after
/// construction, so one instance may compute many queries on many threads at once.
class Measure {
 public:
  Measure(std::string name, std::vector<std::string> value_names, ValueFormat format,
          Aggregation aggregation, bool per_query);
  virtual ~Measure() = default;

  const std::string& name() const { return name_; }
  const std::vector<std::string>& value_names() const { return value_names_; }
  ValueFormat format() const { return format_; }
  Aggregation aggregation() const { return aggregation_; }
  /// Whether trec_eval -q prints this measure for each query.
  bool per_query() const { return per_query_; }

  /// Computes the measure for one query. `values` has one slot per value name, set to 0 by the
  /// caller; a text measure writes `text` instead. O(num_ret) unless stated otherwise.
  virtual void compute(const JudgedRanking& ranking, const EvalOptions& options,
                       std::span<double> values, std::string& text) const = 0;

 private:
  std::string name_;
  std::vector<std::string> value_names_;
  ValueFormat format_;
  Aggregation aggregation_;
  bool per_query_;
};

}  // namespace tandem::eval
