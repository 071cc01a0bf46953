// A self-contained HTML page for an evaluation (`tandem report`): the metrics of one or more runs,
// per-query differences between two runs, and latency/recall curves from benchmark results. The
// page has inline CSS and inline SVG only: no scripts, fonts or anything fetched from a network.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "tandem/eval/report.hpp"

namespace tandem::eval {

/// One evaluated run, labelled for the page.
struct LabelledReport {
  std::string label;   // column heading and legend ("bm25", a file name, ...)
  std::string source;  // where the run came from (shown under the table)
  Report report;
};

/// One point of a speed/quality trade-off: the quality (recall, or accuracy against an exact
/// answer), the throughput, and optionally the median latency; `label` names the knob setting
/// ("ef=40").
struct CurvePoint {
  double recall = 0;
  double qps = 0;
  double latency_p50_us = -1;  // < 0: not measured
  std::string label;
};

/// The points of one system or configuration in a benchmark file ("hnsw/tandem", "codes/pq").
struct Curve {
  std::string name;
  std::vector<CurvePoint> points;
};

/// A latency summary without a quality axis (e.g. BM25 against Lucene at k=10).
struct LatencySummaryRow {
  std::string name;  // JSON path of the summary ("search/k10/tandem")
  double qps = 0;
  double p50_us = -1, p99_us = -1;  // < 0: not given
};

/// What a benchmark result file holds that the page can draw.
struct BenchmarkResult {
  std::string source;  // the file
  std::string title;   // its "name" field, else the file name
  std::string note;    // its "note" field, if any (e.g. "shared machine")
  std::vector<Curve> curves;
  std::vector<LatencySummaryRow> latencies;
};

/// Reads a benchmark JSON file of bench/results. Curves are arrays of objects that have a recall
/// ("recall", "recall@k" or "accK" keys) and a throughput ("qps", or "stats.qps"); latency
/// summaries are objects with "qps" and "p50"/"p99" (or "latency_us": {"p50", "p99"}) outside
/// such arrays. Arrays of repeated measurements ("..._runs") are skipped: their median is given
/// beside them. Throws Error(not_found)/Error(io) if the file cannot be read, and
/// Error(invalid_argument) naming the file for malformed JSON or when it holds neither curves nor
/// latency summaries.
BenchmarkResult read_benchmark_result(const std::filesystem::path& path);

/// The same from JSON text in memory (`source` names it in errors).
BenchmarkResult parse_benchmark_result(const std::string& json_text, const std::string& source);

struct HtmlReportOptions {
  std::string title = "tandem evaluation report";
  std::string qrels_source;
  /// The measure whose per-query differences are drawn (a per-query column of every report).
  /// Empty: ndcg_cut_10 if present, else map, else the first real per-query column.
  std::string diff_measure;
  /// The two runs compared by the difference plot (indexes into the reports): bars show
  /// value(diff_second) - value(diff_first) per query.
  std::size_t diff_first = 0;
  std::size_t diff_second = 1;
  /// What produced the page (command line, version): printed in its footer.
  std::string generator;
};

/// Renders the page. Metric values are printed exactly as trec_eval (and `tandem eval`) print
/// them; every value cell also carries data-run, data-measure and data-value (full precision)
/// attributes. The difference plot appears when there are at least two reports; it covers the
/// queries evaluated in both. Throws Error(invalid_argument) when there is no report, when
/// diff_measure is not a per-query real or integer column of the compared reports, or when the
/// diff indexes are out of range or equal.
std::string render_html_report(const std::vector<LabelledReport>& reports,
                               const std::vector<BenchmarkResult>& benchmarks,
                               const HtmlReportOptions& options);

}  // namespace tandem::eval
