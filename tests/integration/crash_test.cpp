// kill -9 at random moments of an index build: the directory must always hold the previous index
// or, for a first build, none — never a broken one — and the next build must succeed.
#include <chrono>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.hpp"

namespace tandem {
namespace {

using test::run_command;
using test::TempDir;

using test::quote;

// A corpus whose every document contains `marker`, big enough that a build takes a while.
void write_corpus(const std::filesystem::path& path, const std::string& marker, int docs) {
  std::mt19937 rng(7);
  std::string out;
  for (int d = 0; d < docs; ++d) {
    out += "{\"_id\": \"" + marker + std::to_string(d) + "\", \"text\": \"" + marker;
    for (int w = 0; w < 60; ++w) out += " w" + std::to_string(rng() % 5000);
    out += "\"}\n";
  }
  test::write_file(path, out);
}

// Starts `tandem index ...` and kills it with SIGKILL after `delay`; returns true if it was killed
// (false if it finished first).
bool build_and_kill(const std::vector<std::string>& args, std::chrono::microseconds delay) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    const std::string bin = test::tandem_binary().string();
    argv.push_back(const_cast<char*>(bin.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  std::this_thread::sleep_for(delay);
  const bool killed = kill(pid, SIGKILL) == 0;
  int status = 0;
  waitpid(pid, &status, 0);
  return killed && WIFSIGNALED(status);
}

int count_hits(const std::filesystem::path& index, const std::string& query) {
  const auto r = run_command(test::tandem_binary().string() + " search --json --k 5 --index " +
                             quote(index) + " --query " + query);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  int hits = 0;
  for (std::size_t at = r.out.find("\"rank\""); at != std::string::npos;
       at = r.out.find("\"rank\"", at + 1))
    ++hits;
  return hits;
}

TEST(Crash, KilledBuildsNeverLeaveABrokenIndex) {
  TempDir dir;
  write_corpus(dir / "old.jsonl", "oldmarker", 40000);
  write_corpus(dir / "new.jsonl", "newmarker", 40000);
  const auto index = dir / "idx";
  // How long a full build takes, to spread the kills over it.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run_command(test::tandem_binary().string() + " index -q --corpus " +
                        quote(dir / "new.jsonl") + " --index " + quote(dir / "timing"))
                .exit_code,
            0);
  const auto build_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  std::mt19937 rng(20261128);
  int killed = 0;
  int new_seen = 0;
  // First builds killed midway: no index or a complete one.
  for (int round = 0; round < 8; ++round) {
    std::filesystem::remove_all(index);
    const auto delay = std::chrono::microseconds(rng() % (build_us.count() + 1));
    killed += build_and_kill(
        {"index", "-q", "--corpus", (dir / "old.jsonl").string(), "--index", index.string()},
        delay);
    if (std::filesystem::exists(index / "manifest.json")) {
      ASSERT_EQ(
          run_command(test::tandem_binary().string() + " verify --index " + quote(index)).exit_code,
          0);
    } else {
      const auto r = run_command(test::tandem_binary().string() + " search --index " +
                                 quote(index) + " --query x");
      EXPECT_EQ(r.exit_code, 3) << "no index, said clearly: " << r.err;
    }
  }
  // Replacing builds killed midway: the old index or the new one, whole.
  std::filesystem::remove_all(index);
  ASSERT_EQ(run_command(test::tandem_binary().string() + " index -q --corpus " +
                        quote(dir / "old.jsonl") + " --index " + quote(index))
                .exit_code,
            0);
  // At least 24 rounds, more (up to 64) until 16 builds were interrupted: on a loaded machine a
  // build's time varies, and a kill that comes after the build finished tests nothing new.
  for (int round = 0; round < 24 || (killed < 16 && round < 64); ++round) {
    const auto delay = std::chrono::microseconds(rng() % (build_us.count() * 6 / 5 + 1));
    killed += build_and_kill({"index", "-q", "--overwrite", "--corpus",
                              (round % 2 == 0 ? dir / "new.jsonl" : dir / "old.jsonl").string(),
                              "--index", index.string()},
                             delay);
    ASSERT_EQ(
        run_command(test::tandem_binary().string() + " verify --index " + quote(index)).exit_code,
        0)
        << "round " << round;
    const int old_hits = count_hits(index, "oldmarker");
    const int new_hits = count_hits(index, "newmarker");
    EXPECT_TRUE((old_hits == 5 && new_hits == 0) || (old_hits == 0 && new_hits == 5))
        << "round " << round << ": " << old_hits << " old and " << new_hits << " new hits";
    new_seen += new_hits > 0;
  }
  EXPECT_GE(killed, 16) << "most builds should have been interrupted";
  // After all that, a normal build over the leftovers works and leaves no garbage behind.
  ASSERT_EQ(run_command(test::tandem_binary().string() + " index -q --overwrite --corpus " +
                        quote(dir / "new.jsonl") + " --index " + quote(index))
                .exit_code,
            0);
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(index)) {
    const auto name = e.path().filename().string();
    EXPECT_TRUE(name == "manifest.json" || name == "write.lock" || name.starts_with("seg-"))
        << name;
    ++entries;
  }
  EXPECT_EQ(entries, 3);
}

TEST(Crash, SecondWriterIsRefusedClearly) {
  TempDir dir;
  write_corpus(dir / "c.jsonl", "m", 60000);
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string bin = test::tandem_binary().string();
    execl(bin.c_str(), bin.c_str(), "index", "-q", "--corpus", (dir / "c.jsonl").c_str(), "--index",
          (dir / "idx").c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for the first writer to take the lock.
  for (int i = 0; i < 200 && !std::filesystem::exists(dir / "idx" / "write.lock"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto r = run_command(test::tandem_binary().string() + " index -q --overwrite --corpus " +
                             quote(dir / "c.jsonl") + " --index " + quote(dir / "idx"));
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  if (r.exit_code != 0) {
    EXPECT_NE(r.err.find("another tandem process"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace tandem
