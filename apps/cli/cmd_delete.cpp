// `tandem delete`: deletes documents from an index by external id.
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/engine.hpp"
#include "tandem/io/line_reader.hpp"

#include "commands.hpp"
#include "step_hook.hpp"

namespace tandem::cli {

namespace {

struct DeleteArgs {
  std::string index;
  std::string ids_file;
  std::vector<std::string> ids;
  bool json = false;
  bool quiet = false;
};

// One id per line (plain or gzipped); surrounding blanks and empty lines are ignored.
std::vector<std::string> read_ids(const std::string& path) {
  std::vector<std::string> ids;
  io::LineReader reader(path);
  std::string_view line;
  while (reader.next(line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty()) ids.emplace_back(line);
  }
  return ids;
}

int run_delete(const DeleteArgs& a) {
  index::DeleteOptions options;
  options.index_dir = a.index;
  options.ids = a.ids;
  if (!a.ids_file.empty()) {
    auto more = read_ids(a.ids_file);
    options.ids.insert(options.ids.end(), more.begin(), more.end());
  }
  if (options.ids.empty())
    fail(ErrorKind::invalid_argument, "no ids to delete (give --ids FILE or --id ID)");
  options.hook = step_hook_from_environment();
  const index::DeleteReport r = engine::delete_documents(options);
  if (a.json) {
    fmt::print("{}\n", engine::to_json(r));
    return 0;
  }
  if (a.quiet) return 0;
  fmt::print("deleted {} of {} ids from {} ({} not in the index), generation {}\n", r.deleted,
             r.requested, a.index, r.not_found, r.generation);
  return 0;
}

}  // namespace

void add_delete_command(CLI::App& app, Action& run) {
  auto args = std::make_shared<DeleteArgs>();
  auto* cmd = app.add_subcommand("delete", "Delete documents from an index by id");
  cmd->footer(
      "Deleted documents disappear from results and from the BM25 statistics at once (scores\n"
      "equal a fresh build's of the remaining documents); their space is reclaimed by merges.\n"
      "Ids not in the index are counted, not errors. When the command returns, the deletion is\n"
      "durable. Example:\n"
      "  tandem delete --index out/scifact --ids gone.txt");
  cmd->add_option("--index", args->index, "An existing index directory")->required();
  cmd->add_option("--ids", args->ids_file, "A file of ids, one per line (plain or gzipped)");
  cmd->add_option("--id", args->ids, "An id to delete (repeatable)");
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary");
  cmd->callback([&run, args] { run = [args] { return run_delete(*args); }; });
}

}  // namespace tandem::cli
