// Helpers shared by the test suites: where data lives, temporary directories, running the CLI.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace tandem::test {

/// The repository root (for files under tests/data and data/).
std::filesystem::path source_dir();
/// The build directory (holds the `tandem` binary and caches of peer outputs).
std::filesystem::path binary_dir();
/// ../shared (or $TANDEM_SHARED); nullopt if it is not there.
std::optional<std::filesystem::path> shared_dir();
/// The path of the built `tandem` command-line tool.
std::filesystem::path tandem_binary();

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

}  // namespace tandem::test

/// Skips the current test with a clear message when ../shared is missing.
#define TANDEM_REQUIRE_SHARED(var)                                                \
  const auto var##_opt = ::tandem::test::shared_dir();                            \
  if (!var##_opt) GTEST_SKIP() << "../shared is not present (set TANDEM_SHARED)"; \
  const std::filesystem::path var = *var##_opt
