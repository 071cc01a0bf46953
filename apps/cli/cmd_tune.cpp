// `tandem tune`: grid search of a pipeline's fusion weights and stage parameters on a train/test
// split of the qrels (engine/tune.hpp).
#include <memory>

#include <fmt/format.h>

#include "tandem/engine/tune.hpp"
#include "tandem/io/text_file_writer.hpp"

#include "commands.hpp"
#include "terminal_progress.hpp"

namespace tandem::cli {

namespace {

struct TuneArgs {
  engine::TuneOptions options;
  std::string pipeline, queries, qrels, train_qrels, test_qrels;
  std::vector<std::string> params;
  std::string out;             // the report (JSON)
  std::string write_pipeline;  // the chosen pipeline (JSON)
  bool json = false;
  bool quiet = false;
};

int run_tune(TuneArgs a) {
  a.options.pipeline = a.pipeline;
  a.options.queries = a.queries;
  a.options.qrels = a.qrels;
  a.options.train_qrels = a.train_qrels;
  a.options.test_qrels = a.test_qrels;
  for (const auto& p : a.params) a.options.params.push_back(engine::parse_tune_param(p));
  TerminalProgress progress;
  const engine::TuneReport r = engine::tune(a.options, a.quiet ? nullptr : &progress);
  const std::string report = engine::to_json(r);
  if (!a.out.empty()) {
    io::TextFileWriter out(a.out);
    out.write(report + "\n");
    out.commit();
  }
  if (!a.write_pipeline.empty()) {
    io::TextFileWriter out(a.write_pipeline);
    out.write(r.chosen_pipeline.dump(2) + "\n");
    out.commit();
  }
  if (a.json) {
    fmt::print("{}\n", report);
  } else if (!a.quiet) {
    fmt::print("tuned {} settings on {} train queries ({:.1f} s{})\n", r.grid.size(),
               r.train_queries, r.seconds, r.legs_reused ? ", legs run once" : "");
    fmt::print("chosen: {} ({} on train {:.4f})\n", r.grid[r.best].setting.dump(), r.measure,
               r.grid[r.best].train);
    fmt::print("test: {} = {:.4f} on {} held-out queries\n", r.measure, r.test, r.test_queries);
  }
  return 0;
}

}  // namespace

void add_tune_command(CLI::App& app, Action& run) {
  auto a = std::make_shared<TuneArgs>();
  auto* cmd = app.add_subcommand(
      "tune",
      "Grid-search a pipeline's fusion weights and stage parameters on training queries; report "
      "the held-out test score of the chosen setting only");
  cmd->footer(
      "The queries of the qrels are split into train and test (seeded, deterministic: "
      "--train-fraction, --seed),\n"
      "or given split (--train-qrels, --test-qrels). Every grid point runs on the train queries; "
      "the best one\n"
      "(by the first value of --measure; the first point on ties) is then run once on the test "
      "queries.\n"
      "Without --param the grid is fusion.alpha=0:1:0.1 (convex, two legs) or "
      "fusion.k=1,5,10,20,40,60,80,100 (rrf).\n"
      "Legs run once when no parameter path starts with legs, index or filter. Examples:\n"
      "  tandem tune --pipeline hybrid.json --queries q.tsv --qrels qrels.tsv\n"
      "  tandem tune --pipeline hybrid.json --queries q.tsv --qrels qrels.tsv --param "
      "fusion.alpha=0.2,0.5,0.8 \\\n"
      "      --param fusion.normalize=min-max,z-score --measure recall.100 --out tune.json");
  cmd->add_option("--pipeline", a->pipeline, "The pipeline to tune (docs/pipelines.md)")
      ->required();
  cmd->add_option("--queries", a->queries, "Query file (TSV or JSONL, as for search)")->required();
  cmd->add_option("--qrels", a->qrels, "Judgments to split into train and test");
  cmd->add_option("--train-qrels", a->train_qrels, "Judgments of the train queries (given split)");
  cmd->add_option("--test-qrels", a->test_qrels, "Judgments of the test queries (given split)");
  cmd->add_option("--train-fraction", a->options.train_fraction,
                  "Share of the qrels' queries used for training")
      ->capture_default_str();
  cmd->add_option("--seed", a->options.seed, "Seed of the split")->capture_default_str();
  cmd->add_option("--measure", a->options.measure,
                  "trec_eval measure to maximise (-m syntax; its first value counts), evaluated "
                  "as trec_eval -c")
      ->capture_default_str();
  cmd->add_option("--param", a->params,
                  "A grid dimension: PATH=V1,V2,... or PATH=FROM:TO:STEP, PATH into the "
                  "pipeline JSON (fusion.alpha, fusion.k, fusion.normalize, legs[0].depth, "
                  "feedback[0].fb_docs, ...); repeat for a product grid");
  cmd->add_option("--k", a->options.k, "Hits per query (default: the pipeline's k)");
  cmd->add_option("--threads", a->options.threads, "Threads (0 = all cores)")
      ->capture_default_str();
  cmd->add_option("--out", a->out,
                  "Write the report as JSON: measure, chosen, test, every grid point's train "
                  "score, the chosen pipeline");
  cmd->add_option("--write-pipeline", a->write_pipeline,
                  "Write the pipeline with the chosen setting (JSON)");
  cmd->add_flag("--json", a->json, "Print the report as JSON");
  cmd->add_flag("-q,--quiet", a->quiet, "No progress and no summary");
  cmd->callback([&run, a] { run = [a] { return run_tune(*a); }; });
}

}  // namespace tandem::cli
