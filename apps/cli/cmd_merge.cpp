// `tandem merge`: merges an index's segments, dropping deleted documents.
#include <memory>

#include <fmt/format.h>

#include "tandem/engine/engine.hpp"

#include "commands.hpp"
#include "step_hook.hpp"

namespace tandem::cli {

namespace {

struct MergeArgs {
  std::string index;
  std::size_t max_segments = 1;
  unsigned threads = 0;
  bool json = false;
  bool quiet = false;
};

int run_merge(const MergeArgs& a) {
  index::MergeOptions options;
  options.index_dir = a.index;
  options.max_segments = a.max_segments;
  options.threads = a.threads;
  options.hook = step_hook_from_environment();
  const index::MergeReport r = engine::merge_segments(options);
  if (a.json) {
    fmt::print("{}\n", engine::to_json(r));
    return 0;
  }
  if (a.quiet) return 0;
  fmt::print(
      "merged {} segments in {} merges ({} documents, {} deleted dropped) in {:.2f} s; {} "
      "segments, generation {}\n",
      r.segments_merged, r.merges, r.documents, r.deleted_dropped, r.seconds, r.segments_after,
      r.generation);
  return 0;
}

}  // namespace

void add_merge_command(CLI::App& app, Action& run) {
  auto args = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand("merge", "Merge an index's segments and drop deleted documents");
  cmd->footer(
      "Merges the smallest segments into one until at most --max-segments remain, then rewrites\n"
      "every segment that still has deleted documents. Searches keep working meanwhile and see\n"
      "the same results before and after. Example:\n"
      "  tandem merge --index out/scifact --max-segments 1");
  cmd->add_option("--index", args->index, "An existing index directory")->required();
  cmd->add_option("--max-segments", args->max_segments, "Segments to leave at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--threads", args->threads, "Encoding threads (0 = all cores)")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary");
  cmd->callback([&run, args] { run = [args] { return run_merge(*args); }; });
}

}  // namespace tandem::cli
