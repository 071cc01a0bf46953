#include "pipeline_search.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/engine/pipeline_searcher.hpp"
#include "tandem/io/text_file_writer.hpp"

#include "batch_output.hpp"
#include "terminal_progress.hpp"

namespace tandem::cli {

void add_pipeline_search_options(CLI::App& cmd, PipelineSearchArgs& a) {
  cmd.add_option("--pipeline", a.pipeline,
                 "A hybrid pipeline (JSON: legs, filter, fusion, feedback, rerank; see "
                 "docs/pipelines.md) instead of one retriever; --index is then not needed");
  cmd.add_flag("--explain", a.explain,
               "Pipeline with --query: show each hit's rank, raw and normalised score in every "
               "leg, the fused score and the time of each stage");
  cmd.add_option("--explain-file", a.explain_file,
                 "Pipeline with --queries: write one explain record per query (JSON lines)");
  cmd.add_option("--explain-hits", a.explain_hits, "Hits per explain record")
      ->capture_default_str();
}

namespace {

void print_explain(const pipeline::Pipeline& p, const pipeline::QueryState& st, std::size_t n) {
  fmt::print("{:>4}  {:<20} {:>10}", "rank", "id", "fused");
  for (std::size_t l = 0; l < p.num_legs(); ++l)
    fmt::print("  {:>28}", fmt::format("{} (rank raw -> norm)", p.leg(l).name()));
  fmt::print("\n");
  for (std::size_t i = 0; i < st.fused.size() && i < n; ++i) {
    const auto& e = st.fused[i];
    fmt::print("{:>4}  {:<20} {:>10.6f}", i + 1, e.id, e.score);
    for (const auto& c : e.lists) {
      if (c.rank == 0) {
        fmt::print("  {:>28}", fmt::format("- missing -> {:.4f}", c.normalized));
      } else {
        fmt::print("  {:>28}", fmt::format("{} {:.4f} -> {:.4f}", c.rank, c.raw, c.normalized));
      }
    }
    fmt::print("\n");
  }
  fmt::print("timings (us):");
  for (const auto& [name, us] : st.timings_us) fmt::print(" {} {:.0f};", name, us);
  fmt::print(" total {:.0f}\n", st.total_micros());
  if (!st.notes.empty()) fmt::print("notes: {}\n", st.notes.dump());
}

void write_text(const std::string& path, const std::string& text) {
  io::TextFileWriter out(path);
  out.write(text);
  out.commit();
}

}  // namespace

int run_pipeline_search(const PipelineRunArgs& a, const PipelineSearchArgs& p) {
  if (!a.index.empty())
    fail(ErrorKind::invalid_argument,
         "--index is not used with --pipeline: name the index in the pipeline file");
  const bool single = !a.query.empty();
  if (single == !a.queries.empty())
    fail(ErrorKind::invalid_argument, "give either --queries FILE (with --run) or --query TEXT");
  if (!single && a.run.empty())
    fail(ErrorKind::invalid_argument, "--queries needs --run FILE for the results");
  if (p.explain && !single)
    fail(ErrorKind::invalid_argument,
         "--explain goes with --query; use --explain-file FILE with --queries");
  if (!p.explain_file.empty() && single)
    fail(ErrorKind::invalid_argument,
         "--explain-file goes with --queries; use --explain with --query");
  TerminalProgress progress;
  std::optional<std::size_t> k;
  if (a.k != 0) k = a.k;
  if (single && !k) k = 10;
  const auto searcher =
      engine::PipelineSearcher::open(p.pipeline, k, a.quiet ? nullptr : &progress);
  if (single) {
    const auto b = searcher.search(a.query, "query");
    const auto& st = b.states[0];
    if (a.json) {
      nlohmann::json out =
          nlohmann::json::parse(engine::explain_json(searcher.pipeline(), st, st.fused.size()));
      out["settings"] = searcher.pipeline().settings();
      fmt::print("{}\n", out.dump(2));
      return 0;
    }
    fmt::print("query: {}\n", a.query);
    fmt::print("settings: {}\n", searcher.settings_json());
    if (p.explain) {
      print_explain(searcher.pipeline(), st, st.fused.size());
    } else {
      for (std::size_t i = 0; i < st.fused.size(); ++i)
        fmt::print("{:>3}. {:<20} {:>10.6f}\n", i + 1, st.fused[i].id, st.fused[i].score);
    }
    if (st.fused.empty()) fmt::print("no document found by any leg\n");
    return 0;
  }
  const auto queries = io::read_queries(a.queries);
  const auto b = searcher.search_batch(queries, a.threads, a.quiet ? nullptr : &progress,
                                       !p.explain_file.empty());
  const io::RunScoreFormat format = parse_score_format(a.scores, io::RunScoreFormat::raw);
  const BatchOutput out{a.run, a.tag, a.stats, a.json, a.quiet};
  const std::string stats = engine::pipeline_batch_stats_json(b, searcher);
  write_batch_files(b.batch, format, out, stats);
  if (!p.explain_file.empty()) {
    std::string lines;
    for (const auto& st : b.states)
      lines += engine::explain_json(searcher.pipeline(), st, p.explain_hits) + "\n";
    write_text(p.explain_file, lines);
  }
  print_batch_summary(b.batch, out, stats, searcher.settings_json());
  return 0;
}

}  // namespace tandem::cli
