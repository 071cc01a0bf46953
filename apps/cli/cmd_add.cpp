// `tandem add`: appends documents to an index as a new segment (an existing id is replaced).
#include <memory>

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/engine.hpp"

#include "commands.hpp"
#include "step_hook.hpp"
#include "terminal_progress.hpp"

namespace tandem::cli {

namespace {

struct AddArgs {
  std::string corpus;
  std::string index;
  unsigned threads = 0;
  bool skip_bad = false;
  bool no_auto_merge = false;
  std::size_t segments_per_tier = 10;
  std::uint64_t floor_docs = 1000;
  bool json = false;
  bool quiet = false;
  std::string sparse;
  std::string impact_quantization = "auto";
  double impact_scale = 1.0;
  std::string dense;
  std::string dense_ids;
  std::string multivec;
  std::string multivec_offsets;
};

int run_add(const AddArgs& a) {
  index::AddOptions options;
  options.corpus = a.corpus;
  options.index_dir = a.index;
  options.threads = a.threads;
  options.skip_bad = a.skip_bad;
  options.auto_merge = !a.no_auto_merge;
  options.policy.segments_per_tier = a.segments_per_tier;
  options.policy.floor_docs = a.floor_docs;
  options.hook = step_hook_from_environment();
  if (!a.sparse.empty()) {
    options.sparse = index::SparseFieldOptions{
        a.sparse, index::parse_impact_quantization(a.impact_quantization), a.impact_scale, {}};
  }
  options.dense_vectors = a.dense;
  options.dense_ids = a.dense_ids;
  options.multivec = a.multivec;
  options.multivec_offsets = a.multivec_offsets;
  if (!a.multivec_offsets.empty() && a.multivec.empty())
    fail(ErrorKind::invalid_argument, "--multivec-offsets needs --multivec TOKENS");
  if (!a.dense_ids.empty() && a.dense.empty())
    fail(ErrorKind::invalid_argument, "--dense-ids needs --dense VECTORS");
  if (a.corpus.empty() && a.sparse.empty() && a.dense.empty())
    fail(ErrorKind::invalid_argument,
         "give --corpus FILE, --sparse FILE, --dense FILE, or a combination");
  TerminalProgress progress;
  const index::AddReport r = engine::add_documents(options, a.quiet ? nullptr : &progress);
  if (a.json) {
    fmt::print("{}\n", engine::to_json(r));
    return 0;
  }
  if (a.quiet) return 0;
  const double secs = r.build.read_seconds + r.build.write_seconds;
  fmt::print(
      "added {} documents ({} replaced) from {} to {} in {:.2f} s ({:.0f} docs/s), "
      "generation {}\n",
      r.build.documents, r.replaced,
      !a.corpus.empty()   ? a.corpus
      : !a.sparse.empty() ? a.sparse
                          : a.dense,
      a.index, secs, secs > 0 ? static_cast<double>(r.build.documents) / secs : 0.0,
      r.build.generation);
  if (r.merge.merges > 0) {
    fmt::print("  merged {} segments in {} merges ({} documents, {} deleted dropped) in {:.2f} s\n",
               r.merge.segments_merged, r.merge.merges, r.merge.documents, r.merge.deleted_dropped,
               r.merge.seconds);
  }
  if (r.build.multivec_docs > 0)
    fmt::print("  multi-vector field: {} documents, {} token vectors\n", r.build.multivec_docs,
               r.build.multivec_tokens);
  fmt::print("  {} segments\n", r.merge.segments_after);
  if (r.build.skipped_lines + r.build.skipped_duplicates > 0) {
    fmt::print("  skipped {} malformed lines and {} duplicate ids:\n", r.build.skipped_lines,
               r.build.skipped_duplicates);
    for (const auto& p : r.build.problems) fmt::print("    {}\n", p);
  }
  return 0;
}

}  // namespace

void add_add_command(CLI::App& app, Action& run) {
  auto args = std::make_shared<AddArgs>();
  auto* cmd = app.add_subcommand("add", "Add (or replace) documents in an existing index");
  cmd->footer(
      "The documents become a new segment, analysed with the index's settings. A document whose\n"
      "id is already in the index replaces it (delete + add in one atomic publish). Searches see\n"
      "the index before or after the add, never in between; when the command returns, the change\n"
      "is durable. Afterwards the size-tiered merge policy merges small segments (see\n"
      "docs/live.md). The index's learned-sparse and dense fields take the new documents'\n"
      "vectors from --sparse and --dense, its multi-vector field token vectors from --multivec\n"
      "(same quantisation, dimension, metric, graph, codes and token encoding as the index); a\n"
      "document without a vector is not found through that field. Examples:\n"
      "  tandem add --index out/scifact --corpus new-docs.jsonl\n"
      "  tandem add --index out/hybrid --corpus new.jsonl --sparse new.splade.jsonl \\\n"
      "      --dense new.npy --dense-ids new.ids\n"
      "  tandem add --index out/colbert --corpus new.jsonl --multivec new.tokens.jsonl");
  cmd->add_option("--corpus", args->corpus,
                  "JSONL file (.jsonl or .jsonl.gz) or a directory of them, as for `index` "
                  "(optional with --sparse, which is then the corpus, or --dense for a dense-only "
                  "index)");
  cmd->add_option("--sparse", args->sparse,
                  "Learned-sparse vectors of the added documents (as for `index`)");
  cmd->add_option("--impact-quantization", args->impact_quantization,
                  "Only when the index has no sparse field yet (else the index's settings apply): "
                  "auto, integer, u8, u16, float")
      ->capture_default_str();
  cmd->add_option("--impact-scale", args->impact_scale,
                  "Only when the index has no sparse field yet: integer impact = round(w x scale)")
      ->capture_default_str();
  cmd->add_option("--dense", args->dense,
                  "Dense vectors of the added documents (.npy, .fvecs or JSONL; the index must "
                  "have a dense field of the same dimension)");
  cmd->add_option("--dense-ids", args->dense_ids,
                  "Ids of the --dense rows, one per line (else the file's own ids)");
  cmd->add_option("--multivec", args->multivec,
                  "Token vectors of the added documents (as for `index`: JSONL {\"id\", "
                  "\"vectors\"} or a .npy with --multivec-offsets; the index must have a "
                  "multi-vector field of the same dimension; its encoding applies)");
  cmd->add_option("--multivec-offsets", args->multivec_offsets,
                  "With a .npy --multivec: id<TAB>token count per document, in the .npy's order");
  cmd->add_option("--index", args->index, "An existing index directory")->required();
  cmd->add_option("--threads", args->threads, "Worker threads (0 = all cores)")
      ->capture_default_str();
  cmd->add_flag("--skip-bad", args->skip_bad,
                "Skip malformed lines and repeated ids (keeping the first) instead of stopping");
  cmd->add_flag("--no-auto-merge", args->no_auto_merge,
                "Do not run the merge policy after the add");
  cmd->add_option("--segments-per-tier", args->segments_per_tier,
                  "Merge policy: merge when this many segments share a size tier")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000));
  cmd->add_option("--floor-docs", args->floor_docs,
                  "Merge policy: segments below this many live documents share one floor tier")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 30));
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress and no summary");
  cmd->callback([&run, args] { run = [args] { return run_add(*args); }; });
}

}  // namespace tandem::cli
