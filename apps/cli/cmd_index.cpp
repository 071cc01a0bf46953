// `tandem index`: builds an index from a corpus.
#include <memory>

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/engine.hpp"
#include "tandem/index/sparse_approx.hpp"

#include "analyzer_options.hpp"
#include "commands.hpp"
#include "dense_options.hpp"
#include "terminal_progress.hpp"

namespace tandem::cli {

namespace {

struct IndexArgs {
  std::string corpus;
  std::string sparse;
  std::string impact_quantization = "auto";
  double impact_scale = 1.0;
  std::string index;
  std::string fields = "flat";
  unsigned threads = 0;
  AnalyzerOptions analyzer;
  DenseIndexOptions dense;
  bool no_store = false;
  bool skip_bad = false;
  bool overwrite = false;
  bool json = false;
  bool quiet = false;
  std::string multivec;
  std::string multivec_offsets;
  std::string multivec_encoding = "f32";
  bool sparse_approx = false;
  bool approx_only = false;
  sparse::approx::SeismicBuildParams approx;
};

int run_index(const IndexArgs& a) {
  if (a.approx_only) {
    // Only the approximate index of an existing index's segments.
    auto params = a.approx;
    params.threads = a.threads;
    TerminalProgress progress;
    const auto reports = index::add_sparse_approx(a.index, params, a.quiet ? nullptr : &progress);
    for (const auto& r : reports) {
      if (a.json) {
        fmt::print("{{\"sparse_approx\": {{\"seconds\": {}, \"bytes\": {}, \"blocks\": {}}}}}\n",
                   r.build_seconds, r.bytes, r.blocks);
      } else if (!a.quiet) {
        fmt::print("approximate index: {} blocks, {:.1f} MB, built in {:.1f} s\n", r.blocks,
                   static_cast<double>(r.bytes) / (1 << 20), r.build_seconds);
      }
    }
    return 0;
  }
  index::BuildOptions options;
  options.corpus = a.corpus;
  options.index_dir = a.index;
  options.settings.layout = index::parse_field_layout(a.fields);
  options.settings.analyzer = a.analyzer.config();
  options.settings.store = !a.no_store;
  options.threads = a.threads;
  options.skip_bad = a.skip_bad;
  options.overwrite = a.overwrite;
  if (!a.sparse.empty()) {
    options.sparse = index::SparseFieldOptions{
        a.sparse, index::parse_impact_quantization(a.impact_quantization), a.impact_scale};
  }
  if (a.sparse_approx) {
    if (a.sparse.empty()) fail(ErrorKind::invalid_argument, "--sparse-approx needs --sparse FILE");
    options.sparse_approx = a.approx;
  }
  a.dense.apply(options);  // after the sparse field: a dense-only index has neither
  if (!a.multivec.empty()) {
    options.multivec = a.multivec;
    options.multivec_offsets = a.multivec_offsets;
    options.settings.multivec =
        multi::MultiVectorSettings{0, multi::parse_token_encoding(a.multivec_encoding)};
  }
  if (a.corpus.empty() && a.sparse.empty() && a.dense.vectors.empty())
    fail(ErrorKind::invalid_argument,
         "give --corpus FILE, --sparse FILE, --dense FILE, or a combination");
  TerminalProgress progress;
  const index::BuildReport r = engine::build_index(options, a.quiet ? nullptr : &progress);
  if (a.json) {
    fmt::print("{}\n", engine::to_json(r));
    return 0;
  }
  if (a.quiet) return 0;
  const double secs = r.read_seconds + r.write_seconds;
  fmt::print("indexed {} documents from {} into {} in {:.1f} s ({:.0f} docs/s)\n", r.documents,
             !a.corpus.empty()   ? a.corpus
             : !a.sparse.empty() ? a.sparse
                                 : a.dense.vectors,
             a.index, secs, secs > 0 ? static_cast<double>(r.documents) / secs : 0.0);
  fmt::print(
      "  {} terms, {} postings, {:.2f} bytes/posting, index {:.1f} MB\n", r.terms, r.postings,
      r.postings > 0 ? static_cast<double>(r.postings_bytes) / static_cast<double>(r.postings)
                     : 0.0,
      static_cast<double>(r.index_bytes) / (1 << 20));
  if (r.sparse_postings > 0)
    fmt::print("  sparse field: {} dimensions, {} postings\n", r.sparse_terms, r.sparse_postings);
  if (r.multivec_docs > 0)
    fmt::print("  multi-vector field: {} documents, {} token vectors\n", r.multivec_docs,
               r.multivec_tokens);
  if (r.sparse_approx_bytes > 0)
    fmt::print("  approximate index: {} blocks, {:.1f} MB, built in {:.1f} s\n",
               r.sparse_approx_blocks, static_cast<double>(r.sparse_approx_bytes) / (1 << 20),
               r.sparse_approx_seconds);
  if (r.empty_documents > 0)
    fmt::print("  {} documents have no indexed terms (kept, match nothing)\n", r.empty_documents);
  if (r.skipped_lines + r.skipped_duplicates > 0) {
    fmt::print("  skipped {} malformed lines and {} duplicate ids:\n", r.skipped_lines,
               r.skipped_duplicates);
    for (const auto& p : r.problems) fmt::print("    {}\n", p);
  }
  return 0;
}

}  // namespace

void add_index_command(CLI::App& app, Action& run) {
  auto args = std::make_shared<IndexArgs>();
  auto* cmd = app.add_subcommand("index", "Build an index from a corpus of JSONL documents");
  cmd->footer(
      "Corpus lines are BEIR ({\"_id\",\"title\",\"text\"}) or Anserini ({\"id\",\"contents\"}) "
      "JSON objects,\n"
      "in plain or gzipped files, or a directory of them. Documents are numbered by id, so the "
      "index\n"
      "does not depend on thread scheduling. Example:\n"
      "  tandem index --corpus data/scifact/corpus.jsonl.gz --index out/scifact");
  cmd->add_option("--corpus", args->corpus,
                  "JSONL file (.jsonl or .jsonl.gz) or a directory of them (optional with --sparse "
                  "or --dense)");
  cmd->add_option("--sparse", args->sparse,
                  "Learned-sparse vectors (JSONL {\"id\",\"vector\":{term: weight}} or "
                  "{\"id\",\"indices\",\"values\"}); alone, the file is the corpus too");
  cmd->add_option("--impact-quantization", args->impact_quantization,
                  "Sparse weights to stored impacts: auto (integer if all weights are whole, else "
                  "u8), integer (round(w x scale)), u8, u16, float")
      ->capture_default_str();
  cmd->add_option("--impact-scale", args->impact_scale,
                  "integer quantisation: impact = round(weight x scale)")
      ->capture_default_str();
  cmd->add_flag("--sparse-approx", args->sparse_approx,
                "Also build the sparse field's approximate (Seismic-style) index and keep it in "
                "the segment, for `tandem search --retriever sparse-approx` (docs/sparse.md)");
  cmd->add_flag("--approx-only", args->approx_only,
                "Build (or rebuild) only the approximate index of the existing index --index "
                "(every segment with a sparse field), with the --n-postings/... options below");
  cmd->add_option("--n-postings", args->approx.n_postings,
                  "--sparse-approx: postings kept per list (0 = all)")
      ->capture_default_str();
  cmd->add_option("--centroid-fraction", args->approx.centroid_fraction,
                  "--sparse-approx: blocks per list as a fraction of its kept postings")
      ->capture_default_str();
  cmd->add_option("--summary-energy", args->approx.summary_energy,
                  "--sparse-approx: fraction of a block summary's mass kept (1 = full)")
      ->capture_default_str();
  cmd->add_option("--approx-seed", args->approx.seed, "--sparse-approx: seed of the clustering")
      ->capture_default_str();
  cmd->add_option("--index", args->index, "Index directory to create")->required();
  cmd->add_option("--fields", args->fields,
                  "flat: one field, title + text (Anserini's BEIR flat); multifield: title and "
                  "text searched "
                  "as separate fields and summed")
      ->capture_default_str()
      ->check(CLI::IsMember({"flat", "multifield"}));
  cmd->add_option("--threads", args->threads, "Worker threads (0 = all cores)")
      ->capture_default_str();
  args->analyzer.add_to(*cmd);
  args->dense.add_to(*cmd);
  cmd->add_option("--multivec", args->multivec,
                  "Token vectors of a multi-vector field for MaxSim re-ranking: JSONL {\"id\", "
                  "\"vectors\": [[...], ...]} or a .npy of all tokens with --multivec-offsets");
  cmd->add_option("--multivec-offsets", args->multivec_offsets,
                  "With a .npy --multivec: id<TAB>token count per document, in the .npy's order");
  cmd->add_option("--multivec-encoding", args->multivec_encoding,
                  "Stored token vectors: f32, or int8 (one scale per dimension, 4x smaller)")
      ->capture_default_str()
      ->check(CLI::IsMember({"f32", "int8"}));
  cmd->add_flag("--no-store", args->no_store,
                "Do not keep the documents' source (hits then show ids only)");
  cmd->add_flag("--skip-bad", args->skip_bad,
                "Skip malformed lines and repeated ids (keeping the first), count them and go on, "
                "instead of stopping at the first");
  cmd->add_flag(
      "--overwrite", args->overwrite,
      "Replace an existing index (the old one stays usable until the new one is published)");
  cmd->add_flag("--json", args->json, "Print the build report as JSON");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress and no summary");
  cmd->callback([&run, args] { run = [args] { return run_index(*args); }; });
}

}  // namespace tandem::cli
