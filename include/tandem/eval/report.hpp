// The result of an evaluation: per-query and summary values, and trec_eval's text for them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/eval/measure.hpp"

namespace tandem::eval {

/// One output value ("P_5"), with how it prints and aggregates. Columns come in trec_eval's output
/// order; the columns of one measure are adjacent.
struct Column {
  std::string name;
  ValueFormat format = ValueFormat::real;
  Aggregation aggregation = Aggregation::mean;
  bool per_query = true;  // printed by -q
};

/// The values of one evaluated query, one per column. `texts` is empty unless a column has
/// ValueFormat::text, then it holds one string per column (empty for the others).
struct QueryValues {
  std::string qid;
  std::vector<double> values;
  std::vector<std::string> texts;
};

/// Everything trec_eval computes for one run: per-query values in evaluation order (query ids in
/// byte order) and the summary ("all") values.
struct Report {
  std::vector<Column> columns;
  std::vector<QueryValues> queries;
  /// One per column: the aggregated value (unused for text columns).
  std::vector<double> summary;
  std::string run_id;

  std::size_t num_queries() const { return queries.size(); }
  /// The index of a column by name ("ndcg_cut_10"), or nullopt.
  std::optional<std::size_t> column(std::string_view name) const;
  /// The summary value of a column by name, or nullopt.
  std::optional<double> summary_value(std::string_view name) const;
  /// One query's value of a column, or nullopt if either is unknown.
  std::optional<double> value(std::string_view qid, std::string_view name) const;
};

/// What trec_eval prints: -q adds per-query lines, -n drops the summary.
struct FormatOptions {
  bool per_query = false;
  bool summary = true;
};

/// trec_eval's exact text: one line per value, "%-22s\t%s\t%6.4f" (integers "%ld", relstring
/// quoted), per-query lines first (query by query, measures in order), then the "all" lines.
std::string format_trec_eval(const Report& report, const FormatOptions& options = {});

/// The same content as JSON: {"run_id", "num_q", "measures": [names], "all": {name: value},
/// "queries": {qid: {name: value}}} ("queries" only with options.per_query). Integers print as
/// integers, other values with full precision; non-finite values as null.
std::string to_json(const Report& report, const FormatOptions& options = {});

}  // namespace tandem::eval
