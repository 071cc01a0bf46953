// kill -9 at random moments of `tandem add`, `tandem delete` and `tandem merge` (with the writers'
// step hook stretching the windows inside merges and around manifest publication): after every
// kill the index must open, pass `tandem verify`, and hold exactly the acknowledged changes — the
// documents of every command that exited 0, plus, for the killed command, either all of its change
// or none of it (an interrupted command is atomic), never anything else.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tandem/engine/engine.hpp"

#include "test_support.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;
using Docs = std::map<std::string, std::string>;  // id -> stored source line

std::string line(const std::string& id, int version, std::mt19937& rng) {
  std::string text = "v" + std::to_string(version);
  for (int w = 0; w < 20; ++w) text += " w" + std::to_string(rng() % 300);
  return "{\"_id\": \"" + id + "\", \"text\": \"" + text + "\"}";
}

// What the index holds: every live document's id and stored source.
Docs read_index(const fs::path& dir) {
  const auto index = engine::Index::open(dir);
  Docs docs;
  for (const auto& seg : index.reader().segments()) {
    for (DocId d = 0; d < seg->num_docs(); ++d) {
      if (seg->is_deleted(d)) continue;
      const std::string id = seg->ids().id(d);
      EXPECT_FALSE(docs.contains(id)) << "id " << id << " is live twice";
      docs[id] = seg->store()->get(d);
    }
  }
  return docs;
}

// Runs the CLI with the step hook on; kills it with SIGKILL after `delay` unless it exits first.
// Returns true if the command completed with exit code 0 (its change is acknowledged).
bool run_and_maybe_kill(const std::vector<std::string>& args, std::chrono::microseconds delay,
                        bool& killed) {
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("TANDEM_TEST_STEP_SLEEP_US", "8000", 1);
    std::vector<char*> argv;
    const std::string bin = test::tandem_binary().string();
    argv.push_back(const_cast<char*>(bin.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + delay;
  int status = 0;
  pid_t done = 0;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (done == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  killed = WIFSIGNALED(status);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(LiveCrash, KilledWritersLoseNothingAcknowledgedAndAddNothingElse) {
  test::TempDir dir;
  const fs::path index = dir / "idx";
  std::mt19937 rng(20261128);
  Docs model;
  int version = 0;
  {
    std::string corpus;
    for (int i = 0; i < 300; ++i) {
      const std::string id = "doc" + std::to_string(i);
      model[id] = line(id, version, rng);
      corpus += model[id] + "\n";
    }
    test::write_file(dir / "first.jsonl", corpus);
    ASSERT_EQ(
        test::run_command(test::tandem_binary().string() + " index -q --corpus '" +
                          (dir / "first.jsonl").string() + "' --index '" + index.string() + "'")
            .exit_code,
        0);
  }
  int kills = 0, acknowledged = 0, rounds = 0, kinds[3] = {0, 0, 0};
  int killed_before_publish = 0, killed_after_publish = 0;
  std::map<std::string, double> typical_us = {{"add", 60000}, {"delete", 30000}, {"merge", 60000}};
  while (kills < 110 && rounds < 400) {
    ++rounds;
    ++version;
    Docs after = model;
    std::vector<std::string> args;
    const unsigned op = rng() % 10;
    if (op < 5) {  // add: new documents and updates
      std::string corpus;
      const int n = 1 + static_cast<int>(rng() % 40);
      for (int i = 0; i < n; ++i) {
        const std::string id = "doc" + std::to_string(rng() % 600);
        if (after.contains(id) && corpus.find("\"" + id + "\"") != std::string::npos) continue;
        after[id] = line(id, version, rng);
        corpus += after[id] + "\n";
      }
      test::write_file(dir / "batch.jsonl", corpus);
      args = {"add",
              "-q",
              "--index",
              index.string(),
              "--corpus",
              (dir / "batch.jsonl").string(),
              "--segments-per-tier",
              "3",
              "--floor-docs",
              "20"};
      kinds[0]++;
    } else if (op < 8) {  // delete
      std::string ids;
      const int n = 1 + static_cast<int>(rng() % 20);
      for (int i = 0; i < n; ++i) {
        const std::string id = "doc" + std::to_string(rng() % 600);
        after.erase(id);
        ids += id + "\n";
      }
      test::write_file(dir / "ids.txt", ids);
      args = {"delete", "-q", "--index", index.string(), "--ids", (dir / "ids.txt").string()};
      kinds[1]++;
    } else {  // merge
      args = {"merge",          "-q",
              "--index",        index.string(),
              "--max-segments", std::to_string(1 + rng() % 3)};
      kinds[2]++;
    }
    // Half of the kills anywhere in a command's typical duration, half near its end, where the
    // publication and the clean-up after it are (the typical durations are learnt as we go).
    double& typical = typical_us[args[0]];
    const double at = rng() % 2 == 0 ? typical * 1.1 * (rng() % 1000) / 1000.0
                                     : typical * (0.75 + 0.35 * (rng() % 1000) / 1000.0);
    const auto delay = std::chrono::microseconds(static_cast<long>(at));
    bool killed = false;
    const auto started = std::chrono::steady_clock::now();
    const bool ok = run_and_maybe_kill(args, delay, killed);
    if (ok) {
      const double took =
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started)
              .count();
      typical = 0.7 * typical + 0.3 * took;
    } else if (at >= 0.75 * typical) {
      typical *= 1.2;  // killed near what we thought was its end: it takes longer (a busy machine)
    }
    kills += killed;
    ASSERT_TRUE(ok || killed) << "round " << rounds << ": " << args[0] << " failed";
    const auto verify = test::run_command(test::tandem_binary().string() + " verify --index '" +
                                          index.string() + "'");
    ASSERT_EQ(verify.exit_code, 0)
        << "round " << rounds << " (" << args[0] << (killed ? ", killed" : "")
        << "): " << verify.out << verify.err;
    const Docs now = read_index(index);
    if (ok) {
      ++acknowledged;
      ASSERT_TRUE(now == after) << "round " << rounds << ": acknowledged " << args[0]
                                << " is not what the index holds";
    } else {
      ASSERT_TRUE(now == model || now == after)
          << "round " << rounds << ": after a killed " << args[0]
          << " the index holds neither the state before nor the state after it";
      if (model != after) (now == model ? killed_before_publish : killed_after_publish)++;
    }
    model = now;
  }
  EXPECT_GE(kills, 100) << "rounds " << rounds;
  EXPECT_GE(acknowledged, 10);
  // Kills must land on both sides of the commit point (the hook's sleeps after publication make
  // the window after it wide enough).
  EXPECT_GE(killed_before_publish, 10);
  EXPECT_GE(killed_after_publish, 1);
  // A last successful writer removes every leftover of the killed ones.
  ASSERT_EQ(test::run_command(test::tandem_binary().string() + " merge -q --index '" +
                              index.string() + "' --max-segments 2")
                .exit_code,
            0);
  const auto reader = engine::Index::open(index);
  for (const auto& e : fs::directory_iterator(index)) {
    const auto name = e.path().filename().string();
    if (name == "manifest.json" || name == "write.lock") continue;
    const auto* seg = reader.reader().manifest().find_segment(name);
    ASSERT_NE(seg, nullptr) << "leftover " << name;
    for (const auto& f : fs::directory_iterator(e.path())) {
      const auto file = f.path().filename().string();
      EXPECT_TRUE(!file.starts_with("del-") && file.find(".tmp-") == std::string::npos)
          << "leftover " << name << "/" << file;
    }
  }
  EXPECT_EQ(read_index(index), model);
  std::printf(
      "kills %d (%d before the publish, %d after it), acknowledged %d, rounds %d (add %d, "
      "delete %d, merge %d)\n",
      kills, killed_before_publish, killed_after_publish, acknowledged, rounds, kinds[0], kinds[1],
      kinds[2]);
}

// The vector of a document version (a function of its stored line, so the model needs no more).
std::vector<float> vector_of(const std::string& source) {
  std::uint32_t h = 2166136261u;
  std::vector<float> v;
  for (int c = 0; c < 4; ++c) {
    for (const char ch : source) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
    v.push_back(static_cast<float>(1 + h % 9));
  }
  return v;
}

// A few kills of writers on an index with a dense field (HNSW graph built by adds, rebuilt by
// merges): after each, the index verifies (graph included) and every live document has exactly
// the vector of its live version.
TEST(LiveCrash, DenseFieldSurvivesKills) {
  test::TempDir dir;
  const fs::path index = dir / "idx";
  std::mt19937 rng(7);
  Docs model;
  const auto write_batch = [&](const Docs& docs, const std::string& stem) {
    std::string corpus, vectors;
    for (const auto& [id, source] : docs) {
      corpus += source + "\n";
      vectors += fmt::format("{{\"id\": \"{}\", \"vector\": [{}]}}\n", id,
                             fmt::join(vector_of(source), ", "));
    }
    test::write_file(dir / (stem + ".jsonl"), corpus);
    test::write_file(dir / (stem + ".vec.jsonl"), vectors);
  };
  for (int i = 0; i < 100; ++i) {
    const std::string id = "doc" + std::to_string(i);
    model[id] = line(id, 0, rng);
  }
  write_batch(model, "first");
  ASSERT_EQ(test::run_command(test::tandem_binary().string() + " index -q --corpus '" +
                              (dir / "first.jsonl").string() + "' --dense '" +
                              (dir / "first.vec.jsonl").string() +
                              "' --metric l2 --hnsw --index '" + index.string() + "'")
                .exit_code,
            0);
  int kills = 0, rounds = 0, acknowledged = 0;
  double typical_us = 200000;  // learnt from the commands that complete
  while ((kills < 8 || acknowledged < 4) && rounds < 60) {
    ++rounds;
    Docs after = model, batch;
    std::vector<std::string> args;
    if (rng() % 3 != 0) {
      for (int i = 0; i < 10; ++i) {
        const std::string id = "doc" + std::to_string(rng() % 200);
        batch[id] = after[id] = line(id, rounds, rng);
      }
      write_batch(batch, "batch");
      args = {"add",
              "-q",
              "--index",
              index.string(),
              "--corpus",
              (dir / "batch.jsonl").string(),
              "--dense",
              (dir / "batch.vec.jsonl").string(),
              "--segments-per-tier",
              "2",
              "--floor-docs",
              "50"};
    } else {
      std::string ids;
      for (int i = 0; i < 10; ++i) {
        const std::string id = "doc" + std::to_string(rng() % 200);
        after.erase(id);
        ids += id + "\n";
      }
      test::write_file(dir / "ids.txt", ids);
      args = {"delete", "-q", "--index", index.string(), "--ids", (dir / "ids.txt").string()};
    }
    bool killed = false;
    // Every third command runs to its end; the others are killed anywhere in a typical run.
    const auto delay = std::chrono::microseconds(
        rounds % 3 == 0 ? 60000000 : static_cast<long>(typical_us * 1.2 * (rng() % 1000) / 1000));
    const auto started = std::chrono::steady_clock::now();
    const bool ok = run_and_maybe_kill(args, delay, killed);
    if (ok) {
      ++acknowledged;
      typical_us = 0.5 * typical_us + 0.5 * std::chrono::duration<double, std::micro>(
                                                std::chrono::steady_clock::now() - started)
                                                .count();
    }
    kills += killed;
    ASSERT_TRUE(ok || killed) << "round " << rounds << ": " << args[0] << " failed";
    const auto verify = test::run_command(test::tandem_binary().string() + " verify --index '" +
                                          index.string() + "'");
    ASSERT_EQ(verify.exit_code, 0) << "round " << rounds << ": " << verify.out << verify.err;
    const Docs now = read_index(index);
    ASSERT_TRUE(now == after || (!ok && now == model)) << "round " << rounds;
    const auto reader = engine::Index::open(index);
    std::size_t rows = 0;
    for (const auto& seg : reader.reader().segments()) {
      ASSERT_NE(seg->dense(), nullptr);
      const auto& store = seg->dense()->vectors();
      for (std::size_t r = 0; r < store.rows(); ++r) {
        const DocId d = store.row_doc()[r];
        if (seg->is_deleted(d)) continue;
        ++rows;
        const auto expected = vector_of(now.at(seg->ids().id(d)));
        ASSERT_TRUE(std::equal(expected.begin(), expected.end(), store.row(r)))
            << "round " << rounds << ": wrong vector for " << seg->ids().id(d);
      }
    }
    EXPECT_EQ(rows, now.size()) << "round " << rounds << ": every live document has its vector";
    model = now;
  }
  EXPECT_GE(kills, 8) << "rounds " << rounds;
  EXPECT_GE(acknowledged, 4) << "rounds " << rounds;
  std::printf("dense field: kills %d, acknowledged %d, rounds %d, %zu live documents\n", kills,
              acknowledged, rounds, model.size());
}

}  // namespace
}  // namespace tandem
