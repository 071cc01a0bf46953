// The persisted approximate sparse index end to end: `tandem index --sparse-approx` writes it,
// `tandem search --retriever sparse-approx` maps it (and with pruning off returns exactly what the
// exact impact search returns), `tandem info` describes it, `tandem verify` checks it and names it
// when it is damaged, and a file of another layout version is refused with "rebuild".
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;
using test::run_command;
using test::TempDir;

using test::tandem;

using test::quote;

// A seeded SPLADE-like collection: 600 documents over 80 terms with skewed popularity and
// integer weights, and 20 pre-tokenised queries (a token repeated w times has weight w).
void write_collection(const fs::path& vectors, const fs::path& queries) {
  std::mt19937_64 rng(7);
  std::string out;
  for (int d = 0; d < 600; ++d) {
    nlohmann::json v = nlohmann::json::object();
    const int nnz = 1 + static_cast<int>(rng() % 25);
    for (int i = 0; i < nnz; ++i) {
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      v["t" + std::to_string(static_cast<int>(u * u * 80))] = 1 + static_cast<int>(rng() % 200);
    }
    out += nlohmann::json{{"id", "doc" + std::to_string(d)}, {"vector", v}}.dump() + "\n";
  }
  test::write_file(vectors, out);
  std::string q;
  for (int i = 0; i < 20; ++i) {
    q += "q" + std::to_string(i) + "\t";
    const int terms = 1 + static_cast<int>(rng() % 8);
    for (int t = 0; t < terms; ++t) {
      const std::string term = "t" + std::to_string(rng() % 80);
      const int w = 1 + static_cast<int>(rng() % 4);
      for (int r = 0; r < w; ++r) q += term + " ";
    }
    q += "\n";
  }
  test::write_file(queries, q);
}

TEST(SparseApproxCli, PersistedIndexIsUsedVerifiedAndDescribed) {
  TempDir dir;
  write_collection(dir / "vectors.jsonl", dir / "queries.tsv");
  const fs::path idx = dir / "idx";
  auto r = run_command(tandem() + " index --sparse " + quote(dir / "vectors.jsonl") + " --index " +
                       quote(idx) +
                       " --sparse-approx --n-postings 0 --summary-energy 1 --centroid-fraction 0.2"
                       " --threads 2 -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path seg = idx / "seg-000001";
  ASSERT_TRUE(fs::exists(seg / "vector.seismic"));

  r = run_command(tandem() + " verify --index " + quote(idx));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  r = run_command(tandem() + " info --index " + quote(idx));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sparse     seg-000001: 600 documents with a vector"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("approx     seg-000001: vector.seismic"), std::string::npos) << r.out;
  r = run_command(tandem() + " info --json --index " + quote(idx));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto info = nlohmann::json::parse(r.out);
  EXPECT_EQ(info["segments"][0]["sparse_approx"]["n_postings"], 0);
  EXPECT_EQ(info["segments"][0]["sparse_approx"]["summary_energy"], 1.0);

  // Pruning off at build (above) and at search: the same run as the exact impact search.
  r = run_command(tandem() + " search --index " + quote(idx) + " --retriever impact --queries " +
                  quote(dir / "queries.tsv") + " --run " + quote(dir / "exact.run") + " --k 10 -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " search --index " + quote(idx) +
                  " --retriever sparse-approx --query-cut 0 --heap-factor 1 --queries " +
                  quote(dir / "queries.tsv") + " --run " + quote(dir / "approx.run") + " --stats " +
                  quote(dir / "approx.stats") + " --k 10 -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string exact = test::read_file(dir / "exact.run");
  ASSERT_FALSE(exact.empty());
  // Run tags differ by retriever; compare qid, doc, rank and score.
  const auto strip_tags = [](const std::string& run) {
    std::istringstream in(run);
    std::string out;
    for (std::string qid, q0, doc, rank, score, tag;
         in >> qid >> q0 >> doc >> rank >> score >> tag;)
      out += qid + " " + doc + " " + rank + " " + score + "\n";
    return out;
  };
  EXPECT_EQ(strip_tags(test::read_file(dir / "approx.run")), strip_tags(exact));
  const auto stats = nlohmann::json::parse(test::read_file(dir / "approx.stats"));
  EXPECT_EQ(stats["settings"]["build"]["persisted_segments"], 1);
  EXPECT_EQ(stats["settings"]["build"]["built_segments"], 0);
  EXPECT_FALSE(stats["settings"].contains("note"));

  // Damage one byte in the middle: verify names the file.
  const fs::path file = seg / "vector.seismic";
  const auto size = fs::file_size(file);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(size / 2));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(static_cast<std::streamoff>(size / 2));
    f.write(&c, 1);
  }
  r = run_command(tandem() + " verify --index " + quote(idx));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE((r.out + r.err).find("vector.seismic"), std::string::npos) << r.out << r.err;

  // Another layout version (the payload's first u32, after the 32-byte file header): refused.
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(32);
    const std::uint32_t version = 99;
    f.write(reinterpret_cast<const char*>(&version), sizeof(version));
  }
  r = run_command(tandem() + " search --index " + quote(idx) +
                  " --retriever sparse-approx --query 't1 t2' -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("rebuild"), std::string::npos) << r.err;
}

TEST(SparseApproxCli, WithoutAPersistedIndexItIsBuiltInMemoryWithANote) {
  TempDir dir;
  write_collection(dir / "vectors.jsonl", dir / "queries.tsv");
  const fs::path idx = dir / "idx";
  auto r = run_command(tandem() + " index --sparse " + quote(dir / "vectors.jsonl") + " --index " +
                       quote(idx) + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(idx / "seg-000001" / "vector.seismic"));
  r = run_command(tandem() + " search --index " + quote(idx) +
                  " --retriever sparse-approx --queries " + quote(dir / "queries.tsv") + " --run " +
                  quote(dir / "approx.run") + " --stats " + quote(dir / "approx.stats") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto stats = nlohmann::json::parse(test::read_file(dir / "approx.stats"));
  EXPECT_EQ(stats["settings"]["build"]["built_segments"], 1);
  EXPECT_NE(stats["settings"]["note"].get<std::string>().find("built in memory"),
            std::string::npos);
  // --sparse-approx without a sparse field is refused.
  r = run_command(tandem() + " index --corpus " + quote(dir / "vectors.jsonl") + " --index " +
                  quote(dir / "idx2") + " --sparse-approx -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--sparse"), std::string::npos) << r.err;
}

// Adds and merges keep the persisted approximate index: every segment they write gets its own
// vector.seismic with the index's parameters, deleted documents are never returned, and with
// pruning off the approximate run equals the exact impact run at every step.
TEST(SparseApproxCli, AddsDeletesAndMergesKeepThePersistedIndex) {
  TempDir dir;
  write_collection(dir / "vectors.jsonl", dir / "queries.tsv");
  // The first 400 documents build the index; the other 200 come in two adds.
  const auto lines = [&] {
    std::istringstream in(test::read_file(dir / "vectors.jsonl"));
    std::vector<std::string> v;
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
  }();
  ASSERT_EQ(lines.size(), 600u);
  const auto write_part = [&](const fs::path& p, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) out += lines[i] + "\n";
    test::write_file(p, out);
  };
  write_part(dir / "base.jsonl", 0, 400);
  write_part(dir / "add1.jsonl", 400, 500);
  write_part(dir / "add2.jsonl", 500, 600);
  const fs::path idx = dir / "idx";
  auto r = run_command(tandem() + " index --sparse " + quote(dir / "base.jsonl") + " --index " +
                       quote(idx) +
                       " --sparse-approx --n-postings 0 --summary-energy 1 --centroid-fraction 0.2"
                       " --threads 2 -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto strip_tags = [](const std::string& run) {
    std::istringstream in(run);
    std::string out;
    for (std::string qid, q0, doc, rank, score, tag;
         in >> qid >> q0 >> doc >> rank >> score >> tag;)
      out += qid + " " + doc + " " + rank + " " + score + "\n";
    return out;
  };
  const auto check_step = [&](const std::string& step, int segments) {
    SCOPED_TRACE(step);
    int with_file = 0;
    for (const auto& e : fs::directory_iterator(idx)) {
      if (e.is_directory() && e.path().filename().string().rfind("seg-", 0) == 0) {
        EXPECT_TRUE(fs::exists(e.path() / "vector.seismic")) << e.path();
        ++with_file;
      }
    }
    auto v = run_command(tandem() + " verify --index " + quote(idx));
    ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
    v = run_command(tandem() + " search --index " + quote(idx) + " --retriever impact --queries " +
                    quote(dir / "queries.tsv") + " --run " + quote(dir / "exact.run") +
                    " --k 10 -q");
    ASSERT_EQ(v.exit_code, 0) << v.err;
    v = run_command(tandem() + " search --index " + quote(idx) +
                    " --retriever sparse-approx --query-cut 0 --heap-factor 1 --queries " +
                    quote(dir / "queries.tsv") + " --run " + quote(dir / "approx.run") +
                    " --stats " + quote(dir / "approx.stats") + " --k 10 -q");
    ASSERT_EQ(v.exit_code, 0) << v.err;
    const std::string exact = test::read_file(dir / "exact.run");
    ASSERT_FALSE(exact.empty());
    EXPECT_EQ(strip_tags(test::read_file(dir / "approx.run")), strip_tags(exact));
    EXPECT_EQ(exact.find(" doc13 "), std::string::npos) << "a deleted document was returned";
    const auto stats = nlohmann::json::parse(test::read_file(dir / "approx.stats"));
    EXPECT_EQ(stats["settings"]["build"]["persisted_segments"], segments);
    EXPECT_EQ(stats["settings"]["build"]["built_segments"], 0);
    EXPECT_EQ(with_file, segments);
  };
  r = run_command(tandem() + " add --index " + quote(idx) + " --sparse " +
                  quote(dir / "add1.jsonl") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  test::write_file(dir / "gone.txt", "doc13\n");
  r = run_command(tandem() + " delete --index " + quote(idx) + " --ids " + quote(dir / "gone.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  check_step("after an add and a delete", 2);
  r = run_command(tandem() + " add --index " + quote(idx) + " --sparse " +
                  quote(dir / "add2.jsonl") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " merge --index " + quote(idx));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  check_step("after a second add and a merge", 1);
}

}  // namespace
}  // namespace tandem
