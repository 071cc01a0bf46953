// `tandem report`: one self-contained HTML page for an evaluation: the metrics of each run (the
// numbers `tandem eval` prints), per-query differences between two runs, and speed/recall curves
// from benchmark results.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/eval/evaluate.hpp"
#include "tandem/eval/html_report.hpp"
#include "tandem/io/text_file_writer.hpp"

#include "commands.hpp"
#include "eval_options.hpp"

namespace tandem::cli {

namespace {

struct ReportArgs {
  std::string qrels;
  std::vector<std::string> runs;
  std::vector<std::string> labels;
  std::vector<std::string> measures;
  std::vector<std::string> bench;
  std::string diff_measure;
  std::vector<std::size_t> compare;  // 1-based run numbers
  std::string title = "tandem evaluation report";
  std::string output;
  eval::EvalOptions options;
  bool quiet = false;
};

std::string command_line(const ReportArgs& a) {
  std::string s = "tandem " TANDEM_VERSION " report --qrels " + a.qrels;
  for (const auto& r : a.runs) s += " --run " + r;
  for (const auto& m : a.measures) s += " -m " + m;
  for (const auto& b : a.bench) s += " --bench " + b;
  return s;
}

int run_report(const ReportArgs& a) {
  if (a.runs.empty()) fail(ErrorKind::invalid_argument, "give at least one --run FILE");
  if (!a.labels.empty() && a.labels.size() != a.runs.size()) {
    fail(ErrorKind::invalid_argument, "--label was given {} times for {} runs: give one per run",
         a.labels.size(), a.runs.size());
  }
  eval::HtmlReportOptions options;
  if (!a.compare.empty()) {
    if (a.compare.size() != 2 || a.compare[0] < 1 || a.compare[1] < 1 ||
        a.compare[0] > a.runs.size() || a.compare[1] > a.runs.size()) {
      fail(ErrorKind::invalid_argument,
           "--compare takes two run numbers between 1 and {} (the order of --run)", a.runs.size());
    }
    options.diff_first = a.compare[0] - 1;
    options.diff_second = a.compare[1] - 1;
  }
  options.title = a.title;
  options.qrels_source = a.qrels;
  options.diff_measure = a.diff_measure;
  options.generator = command_line(a);
  const eval::MeasureSet measures = eval::parse_measures(a.measures);
  const eval::Qrels qrels = eval::read_qrels(a.qrels);
  std::vector<eval::LabelledReport> reports;
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    const eval::Run run = eval::read_run(a.runs[i]);
    std::string label =
        a.labels.empty() ? std::filesystem::path(a.runs[i]).filename().string() : a.labels[i];
    for (const auto& r : reports) {
      if (r.label == label)
        fail(ErrorKind::invalid_argument, "two runs are labelled '{}': give --label for each run",
             label);
    }
    reports.push_back(
        {std::move(label), a.runs[i], eval::evaluate(qrels, run, measures, a.options)});
  }
  std::vector<eval::BenchmarkResult> benchmarks;
  for (const auto& b : a.bench) benchmarks.push_back(eval::read_benchmark_result(b));
  const std::string html = eval::render_html_report(reports, benchmarks, options);
  io::TextFileWriter out(a.output);
  out.write(html);
  out.commit();
  if (!a.quiet) {
    fmt::print("wrote {} ({} run{}, {} benchmark file{}, {:.0f} KB)\n", a.output, reports.size(),
               reports.size() == 1 ? "" : "s", benchmarks.size(), benchmarks.size() == 1 ? "" : "s",
               static_cast<double>(html.size()) / 1024);
  }
  return 0;
}

}  // namespace

void add_report_command(CLI::App& app, Action& run) {
  auto a = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand(
      "report",
      "Write one self-contained HTML page for an evaluation: metrics of each run, per-query "
      "differences between two runs, and speed/recall curves from benchmark results");
  cmd->footer(
      "The page has inline CSS and SVG only (no scripts, nothing fetched) and is written "
      "atomically.\n"
      "Metric values are exactly what `tandem eval` prints for the same qrels, run and measures.\n"
      "Example:\n"
      "  tandem report --qrels data/scifact/qrels.test.tsv --run bm25.txt --run tuned.txt \\\n"
      "    -m official ndcg_cut.10 --bench bench/results/dense_vs_peers.glove100.json -o "
      "report.html");
  cmd->add_option("--qrels", a->qrels, "Relevance judgments (TREC or BEIR TSV, plain or .gz)")
      ->required();
  cmd->add_option("--run", a->runs, "A run to evaluate (TREC format; repeat for more runs)")
      ->required();
  cmd->add_option("--label", a->labels, "A name per run, in --run order (default: file names)");
  cmd->add_option("-m,--measure", a->measures,
                  "Measures as for `tandem eval -m` (repeatable); default: official")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_option("--diff-measure", a->diff_measure,
                  "Per-query measure of the difference plot (default: ndcg_cut_10 if computed, "
                  "else map)");
  cmd->add_option("--compare", a->compare,
                  "The two runs of the difference plot, by position: A B draws B - A "
                  "(default: 1 2)")
      ->expected(2);
  cmd->add_option("--bench", a->bench,
                  "Benchmark result JSON (bench/results/*.json) to draw QPS against recall, or "
                  "latency summaries (repeatable)");
  cmd->add_option("--title", a->title, "Page title")->capture_default_str();
  cmd->add_option("-o,--output", a->output, "HTML file to write")->required();
  add_trec_eval_options(*cmd, a->options);
  cmd->add_flag("--quiet", a->quiet, "Print nothing on success");
  cmd->callback([&run, a] { run = [a] { return run_report(*a); }; });
}

}  // namespace tandem::cli
