// Helpers shared by the test suites: where data lives, temporary directories, running the CLI.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem::test {

/// The repository root (for files under tests/data and data/).
std::filesystem::path source_dir();
/// The build directory (holds the `tandem` binary and caches of peer outputs).
std::filesystem::path binary_dir();
/// ../shared (or $TANDEM_SHARED); nullopt if it is not there.
std::optional<std::filesystem::path> shared_dir();
/// The path of the built `tandem` command-line tool.
std::filesystem::path tandem_binary();
/// The same as a string, to start command lines for run_command.
std::string tandem();

/// A fresh empty directory under the system temp dir, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Result of running a shell command.
struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

/// Runs `command` with /bin/sh, capturing stdout and stderr.
CommandResult run_command(const std::string& command);

/// Reads a whole file into a string (throws std::runtime_error if it cannot).
std::string read_file(const std::filesystem::path& path);
/// Writes a string to a file (throws std::runtime_error if it cannot).
void write_file(const std::filesystem::path& path, const std::string& content);

/// The message of the tandem::Error that `f` throws, or "(no error)".
std::string error_message(const std::function<void()>& f);

/// A path in single quotes, for command lines run by run_command (test paths hold no quote).
std::string quote(const std::filesystem::path& path);

/// One line of a TREC run file.
struct RunLine {
  std::string qid, docid;
  int rank = 0;
  double score = 0;
};
/// The lines of a TREC run file, in file order.
std::vector<RunLine> read_run_lines(const std::filesystem::path& path);
/// MAP, nDCG@10, R@100 and R@1000 of a run as trec_eval -c computes them (tandem's evaluator),
/// keyed "map", "ndcg_cut_10", "recall_100", "recall_1000".
std::map<std::string, double> summary_measures(const std::filesystem::path& qrels,
                                               const std::filesystem::path& run);

}  // namespace tandem::test

/// Skips the current test with a clear message when ../shared is missing.
#define TANDEM_REQUIRE_SHARED(var)                                                \
  const auto var##_opt = ::tandem::test::shared_dir();                            \
  if (!var##_opt) GTEST_SKIP() << "../shared is not present (set TANDEM_SHARED)"; \
  const std::filesystem::path var = *var##_opt
