// `tandem train`: fits a dense text encoder on a collection and writes it as a model file, which
// `tandem encode --model` then uses for the collection's documents and its queries.
#include <chrono>
#include <memory>

#include <fmt/core.h>

#include "tandem/core/error.hpp"
#include "tandem/encode/lsa_model.hpp"
#include "tandem/encode/sif_model.hpp"
#include "tandem/encode/word_vectors.hpp"

#include "analyzer_options.hpp"
#include "commands.hpp"
#include "terminal_progress.hpp"
#include "text_records.hpp"

namespace tandem::cli {

namespace {

struct TrainArgs {
  std::string corpus;
  std::string out;
  unsigned threads = 0;
  bool quiet = false;
  // sif
  std::string vectors;
  double a = 1e-3;
  // lsa
  encode::LsaOptions lsa;
  AnalyzerOptions analyzer;
};

void report(const TrainArgs& a, const encode::TextEncoder& model, double seconds) {
  if (a.quiet) return;
  fmt::print("{}\n", model.describe_json());
  fmt::print(stderr, "trained {} ({} dims) in {:.1f} s: {}\n", model.kind(), model.dims(), seconds,
             a.out);
}

int run_sif(const TrainArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  TerminalProgress progress;
  const auto vectors = encode::WordVectors::load_word2vec_binary(a.vectors);
  const auto records = read_text_records(a.corpus, &progress);
  encode::SifOptions options;
  options.a = a.a;
  options.threads = a.threads;
  const auto model = encode::SifModel::train(vectors, records.texts, options, &progress);
  model.save(a.out);
  report(a, model, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

int run_lsa(const TrainArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  TerminalProgress progress;
  const auto records = read_text_records(a.corpus, &progress);
  encode::LsaOptions options = a.lsa;
  options.analyzer = a.analyzer.config();
  options.threads = a.threads;
  const auto model = encode::LsaModel::train(records.texts, options, &progress);
  model.save(a.out);
  report(a, model, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

void add_common(CLI::App& cmd, TrainArgs& a) {
  cmd.add_option("--corpus,-c", a.corpus,
                 "The collection: JSONL (BEIR or Anserini) or TSV id<TAB>text, plain or gzipped")
      ->required();
  cmd.add_option("--out,-o", a.out, "The model file to write (atomically)")->required();
  cmd.add_option("--threads", a.threads, "Threads (0 = all cores)")->capture_default_str();
  cmd.add_flag("--quiet,-q", a.quiet, "Print nothing");
}

}  // namespace

void add_train_command(CLI::App& app, Action& run) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand(
      "train", "Fit a dense text encoder (GloVe-SIF or LSA) on a collection; write a model file.");
  cmd->require_subcommand(1);
  cmd->footer(
      "\nExamples:\n"
      "  tandem train sif --vectors ../shared/models/glove-6b-100d-top100k/glove.6B.100d.top100k."
      "w2v.bin \\\n"
      "      --corpus data/scifact/corpus.jsonl.gz --out scifact.sif\n"
      "  tandem train lsa --corpus data/scifact/corpus.jsonl.gz --dims 256 --out scifact.lsa\n"
      "  tandem encode --model scifact.lsa --input data/scifact/queries.test.tsv --output q.jsonl");

  auto* sif = cmd->add_subcommand(
      "sif",
      "GloVe sentence vectors with smooth inverse frequency weights a/(a+p(w)) and the first "
      "principal\ncomponent removed (Arora, Liang and Ma, ICLR 2017). p(w) and the component come "
      "from the corpus.");
  add_common(*sif, *args);
  sif->add_option("--vectors", args->vectors, "Word vectors in word2vec binary format")->required();
  sif->add_option("--a", args->a, "The SIF smoothing parameter a")->capture_default_str();
  sif->callback([&run, args] { run = [args] { return run_sif(*args); }; });

  auto* lsa = cmd->add_subcommand(
      "lsa",
      "Latent semantic analysis: a truncated SVD of the corpus's TF-IDF matrix by randomised "
      "SVD\n(Halko, Martinsson and Tropp 2011), seeded.");
  add_common(*lsa, *args);
  lsa->add_option("--dims", args->lsa.dims, "Dimensions (singular vectors) to keep")
      ->capture_default_str();
  lsa->add_option("--min-df", args->lsa.min_df, "Leave out terms in fewer documents than this")
      ->capture_default_str();
  lsa->add_option("--oversample", args->lsa.oversample, "Extra random directions")
      ->capture_default_str();
  lsa->add_option("--power-iterations", args->lsa.power_iterations, "Subspace iterations")
      ->capture_default_str();
  lsa->add_option("--seed", args->lsa.seed, "Seed of the random test matrix")
      ->capture_default_str();
  args->analyzer.add_to(*lsa);
  lsa->callback([&run, args] { run = [args] { return run_lsa(*args); }; });
}

}  // namespace tandem::cli
