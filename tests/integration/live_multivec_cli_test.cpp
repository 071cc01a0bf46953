// `tandem add`, `delete` and `merge` on an index with a multi-vector (token vector) field, run like
// a user would: after every step, `tandem search --maxsim` (BM25 candidates re-ranked by ColBERT
// MaxSim) returns exactly the run of a fresh build of the surviving documents (ids, order, scores;
// f32 tokens), `tandem verify` passes, and no deleted document is ever scored. Also the errors of
// bad token-vector adds, which publish nothing.
#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;
using test::run_command;

using test::tandem;

using test::quote;

constexpr std::size_t kDim = 4;

// One document of the seeded collection: text and (unless `tokens` is empty) token vectors.
struct Doc {
  std::string id;
  std::string text;
  std::vector<std::vector<int>> tokens;  // values are tokens[i][c] / 8 (exact in float and JSON)
};

std::vector<Doc> collection(std::uint32_t seed, std::size_t n) {
  static const char* const words[] = {"zebra", "lion",  "savanna", "river", "grass", "heat",
                                      "rain",  "night", "herd",    "water", "tree",  "dust"};
  std::mt19937 rng(seed);
  std::vector<Doc> docs;
  for (std::size_t i = 0; i < n; ++i) {
    Doc d{fmt::format("d{:02}", i), "", {}};
    const std::size_t len = 3 + rng() % 6;
    for (std::size_t w = 0; w < len; ++w) d.text += std::string(w ? " " : "") + words[rng() % 12];
    const std::size_t ntok = 1 + rng() % 4;
    for (std::size_t t = 0; t < ntok; ++t) {
      std::vector<int> tok;
      for (std::size_t c = 0; c < kDim; ++c) tok.push_back(static_cast<int>(rng() % 17) - 8);
      d.tokens.push_back(tok);
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

std::string corpus_jsonl(const std::vector<Doc>& docs) {
  std::string out;
  for (const auto& d : docs)
    out += fmt::format("{{\"id\": \"{}\", \"contents\": \"{}\"}}\n", d.id, d.text);
  return out;
}

std::string tokens_jsonl(const std::vector<Doc>& docs, std::size_t dim = kDim) {
  std::string out;
  for (const auto& d : docs) {
    if (d.tokens.empty()) continue;
    std::vector<std::string> rows;
    for (const auto& t : d.tokens) {
      std::vector<std::string> v;
      for (std::size_t c = 0; c < dim; ++c) v.push_back(fmt::format("{}", t[c % kDim] / 8.0));
      rows.push_back("[" + fmt::format("{}", fmt::join(v, ", ")) + "]");
    }
    out += fmt::format("{{\"id\": \"{}\", \"vectors\": [{}]}}\n", d.id, fmt::join(rows, ", "));
  }
  return out;
}

// The token vectors of `docs` as a float32 .npy of all tokens (rows in document order) and its
// offsets file (id<TAB>token count), the other input form of --multivec.
void write_tokens_npy(const std::vector<Doc>& docs, const fs::path& npy, const fs::path& offsets) {
  std::string data, lines;
  std::size_t rows = 0;
  for (const auto& d : docs) {
    if (d.tokens.empty()) continue;
    lines += fmt::format("{}\t{}\n", d.id, d.tokens.size());
    for (const auto& t : d.tokens) {
      for (const int v : t) {
        const float f = static_cast<float>(v) / 8.0f;
        data.append(reinterpret_cast<const char*>(&f), sizeof f);
      }
      ++rows;
    }
  }
  std::string header =
      fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, {}), }}", rows, kDim);
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string file = std::string("\x93NUMPY\x01\x00", 8);
  file += static_cast<char>(header.size() & 0xff);
  file += static_cast<char>(header.size() >> 8);
  test::write_file(npy, file + header + data);
  test::write_file(offsets, lines);
}

// A run's scores by "query doc".
std::map<std::string, double> scores(const std::string& run) {
  std::map<std::string, double> out;
  std::istringstream in(run);
  std::string q, q0, doc, rank, tag;
  double score = 0;
  while (in >> q >> q0 >> doc >> rank >> score >> tag) out[q + " " + doc] = score;
  return out;
}

class LiveMultivecCli : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_file(dir_ / "q.tsv", "q1\tzebra lion\nq2\triver water rain\nq3\tnight herd dust\n");
    test::write_file(dir_ / "qt.jsonl",
                     "{\"id\": \"q1\", \"vectors\": [[1, 0, 0.5, 0], [0, 1, 0, -0.5]]}\n"
                     "{\"id\": \"q2\", \"vectors\": [[0.25, 0.25, 1, 1]]}\n"
                     "{\"id\": \"q3\", \"vectors\": [[-1, 0.5, 0, 0], [0, 0, -1, 1], [1, 1, 1, "
                     "1]]}\n");
  }

  // The run of `tandem search --maxsim` on `index` (k 10, all BM25 candidates re-ranked).
  std::string maxsim_run(const fs::path& index) {
    const fs::path run = dir_ / "run";
    const auto r = run_command(tandem() + " search -q --index " + quote(index) + " --queries " +
                               quote(dir_ / "q.tsv") + " --maxsim " + quote(dir_ / "qt.jsonl") +
                               " --k 10 --run " + quote(run));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return test::read_file(run);
  }

  // The run of a fresh one-segment build of `docs`.
  std::string fresh_run(const std::vector<Doc>& docs, const std::string& encoding = "f32") {
    test::write_file(dir_ / "fresh.jsonl", corpus_jsonl(docs));
    test::write_file(dir_ / "fresh.mv.jsonl", tokens_jsonl(docs));
    const auto r = run_command(tandem() + " index -q --overwrite --index " + quote(dir_ / "fresh") +
                               " --corpus " + quote(dir_ / "fresh.jsonl") + " --multivec " +
                               quote(dir_ / "fresh.mv.jsonl") + " --multivec-encoding " + encoding);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return maxsim_run(dir_ / "fresh");
  }

  void expect_verified(const fs::path& index, const std::string& after) {
    const auto r = run_command(tandem() + " verify --index " + quote(index));
    EXPECT_EQ(r.exit_code, 0) << "after " << after << ": " << r.out << r.err;
  }

  test::TempDir dir_;
};

TEST_F(LiveMultivecCli, AddDeleteMergeEqualAFreshBuild) {
  std::vector<Doc> docs = collection(20261129, 40);
  const std::vector<Doc> first(docs.begin(), docs.begin() + 25);
  std::vector<Doc> batch(docs.begin() + 25, docs.end());
  batch[5].tokens.clear();  // d30: a document without token vectors
  // An update of d03: new text and new token vectors.
  Doc update{"d03", "zebra lion lion river", {{8, 0, 4, 0}, {0, -8, 0, 8}}};
  batch.push_back(update);
  std::vector<Doc> live(first);
  live[3] = update;
  live.insert(live.end(), batch.begin(), batch.end() - 1);

  const fs::path idx = dir_ / "idx";
  test::write_file(dir_ / "c1.jsonl", corpus_jsonl(first));
  test::write_file(dir_ / "mv1.jsonl", tokens_jsonl(first));
  auto r = run_command(tandem() + " index -q --index " + quote(idx) + " --corpus " +
                       quote(dir_ / "c1.jsonl") + " --multivec " + quote(dir_ / "mv1.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_verified(idx, "the build");

  test::write_file(dir_ / "c2.jsonl", corpus_jsonl(batch));
  test::write_file(dir_ / "mv2.jsonl", tokens_jsonl(batch));
  r = run_command(tandem() + " add --no-auto-merge --index " + quote(idx) + " --corpus " +
                  quote(dir_ / "c2.jsonl") + " --multivec " + quote(dir_ / "mv2.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("added 16 documents (1 replaced)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("multi-vector field: 15 documents"), std::string::npos) << r.out;
  expect_verified(idx, "the add");
  // An add without --multivec: its segment's multi-vector file has no rows.
  const std::vector<Doc> plain = {{"d40", "zebra river night", {}}};
  test::write_file(dir_ / "c3.jsonl", corpus_jsonl(plain));
  r = run_command(tandem() + " add -q --no-auto-merge --index " + quote(idx) + " --corpus " +
                  quote(dir_ / "c3.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  live.push_back(plain[0]);
  expect_verified(idx, "the add without token vectors");
  const std::string after_add = maxsim_run(idx);
  EXPECT_NE(after_add.find(" d03 "), std::string::npos) << after_add;
  EXPECT_EQ(after_add, fresh_run(live)) << "after the add";

  const std::vector<std::string> deleted = {"d05", "d11", "d27", "d30"};
  r = run_command(tandem() + " delete -q --index " + quote(idx) + " --id d05 --id d11 --id d27 " +
                  "--id d30");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::erase_if(live, [&](const Doc& d) {
    return std::find(deleted.begin(), deleted.end(), d.id) != deleted.end();
  });
  expect_verified(idx, "the delete");
  const std::string expected = fresh_run(live);
  ASSERT_NE(std::count(expected.begin(), expected.end(), '\n'), 0);
  for (const auto& id : deleted)
    EXPECT_EQ(expected.find(" " + id + " "), std::string::npos) << "the fresh build has no " << id;
  EXPECT_EQ(maxsim_run(idx), expected) << "after the delete";

  r = run_command(tandem() + " merge -q --index " + quote(idx));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One segment, whose 37 live documents but d40 have token vectors (d30, without, is deleted).
  const std::string manifest = test::read_file(idx / "manifest.json");
  EXPECT_NE(manifest.find("\"multivec_rows\": 36,"), std::string::npos) << manifest;
  EXPECT_EQ(manifest.find("\"multivec_rows\""), manifest.rfind("\"multivec_rows\"")) << manifest;
  expect_verified(idx, "the merge");
  EXPECT_EQ(maxsim_run(idx), expected) << "after the merge";
}

TEST_F(LiveMultivecCli, Int8MergesRequantiseAndStayValid) {
  const std::vector<Doc> docs = collection(7, 20);
  const std::vector<Doc> first(docs.begin(), docs.begin() + 12);
  const std::vector<Doc> batch(docs.begin() + 12, docs.end());
  const fs::path idx = dir_ / "idx8";
  test::write_file(dir_ / "c1.jsonl", corpus_jsonl(first));
  test::write_file(dir_ / "mv1.jsonl", tokens_jsonl(first));
  test::write_file(dir_ / "c2.jsonl", corpus_jsonl(batch));
  write_tokens_npy(batch, dir_ / "mv2.npy", dir_ / "mv2.offsets");
  auto r = run_command(tandem() + " index -q --index " + quote(idx) + " --corpus " +
                       quote(dir_ / "c1.jsonl") + " --multivec " + quote(dir_ / "mv1.jsonl") +
                       " --multivec-encoding int8");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The batch's token vectors as a .npy with an offsets file.
  r = run_command(tandem() + " add --no-auto-merge --index " + quote(idx) + " --corpus " +
                  quote(dir_ / "c2.jsonl") + " --multivec " + quote(dir_ / "mv2.npy") +
                  " --multivec-offsets " + quote(dir_ / "mv2.offsets"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("multi-vector field: 8 documents"), std::string::npos) << r.out;
  expect_verified(idx, "the int8 add");
  r = run_command(tandem() + " delete -q --index " + quote(idx) + " --id d02 --id d15");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " merge -q --index " + quote(idx));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_verified(idx, "the int8 merge");
  EXPECT_NE(test::read_file(idx / "manifest.json").find("\"encoding\": \"int8\""),
            std::string::npos)
      << "the encoding is kept";
  // Re-quantisation is not exact, but each score stays within a few quantisation steps of the
  // fresh int8 build's (values |x| <= 1, scales <= 1/127, at most 3 query tokens of 4 dims).
  std::vector<Doc> live;
  for (const auto& d : docs)
    if (d.id != "d02" && d.id != "d15") live.push_back(d);
  const std::string run = maxsim_run(idx);
  EXPECT_EQ(run.find(" d02 "), std::string::npos) << run;
  EXPECT_EQ(run.find(" d15 "), std::string::npos) << run;
  const auto merged = scores(run), fresh = scores(fresh_run(live, "int8"));
  ASSERT_FALSE(fresh.empty());
  std::size_t common = 0;
  for (const auto& [hit, score] : fresh) {
    const auto it = merged.find(hit);
    if (it == merged.end()) continue;
    ++common;
    EXPECT_NEAR(it->second, score, 0.15) << hit;
  }
  EXPECT_GE(common * 2, fresh.size()) << run;
}

TEST_F(LiveMultivecCli, BadTokenVectorAddsPublishNothing) {
  const std::vector<Doc> docs = collection(3, 12);
  const std::vector<Doc> first(docs.begin(), docs.begin() + 8);
  const std::vector<Doc> batch(docs.begin() + 8, docs.end());
  const fs::path idx = dir_ / "idx";
  test::write_file(dir_ / "c1.jsonl", corpus_jsonl(first));
  test::write_file(dir_ / "mv1.jsonl", tokens_jsonl(first));
  test::write_file(dir_ / "c2.jsonl", corpus_jsonl(batch));
  auto r = run_command(tandem() + " index -q --index " + quote(idx) + " --corpus " +
                       quote(dir_ / "c1.jsonl") + " --multivec " + quote(dir_ / "mv1.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string before = test::read_file(idx / "manifest.json");
  const auto add = [&](const std::string& tokens) {
    test::write_file(dir_ / "bad.jsonl", tokens);
    return run_command(tandem() + " add -q --index " + quote(idx) + " --corpus " +
                       quote(dir_ / "c2.jsonl") + " --multivec " + quote(dir_ / "bad.jsonl"));
  };
  // Dimension 3 for an index of dimension 4.
  r = add(tokens_jsonl(batch, 3));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("token vectors of dimension 3, the index's multi-vector field has 4"),
            std::string::npos)
      << r.err;
  // Token vectors for d01, which is in the index but not among the added documents.
  r = add(tokens_jsonl({batch[0], first[1]}));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("(id 'd01') has token vectors but is not a document of the corpus"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(test::read_file(idx / "manifest.json"), before) << "nothing was published";
  r = run_command(tandem() + " info --json --index " + quote(idx));
  EXPECT_NE(r.out.find("\"documents\": 8"), std::string::npos) << r.out;
  expect_verified(idx, "the refused adds");
  // Token vectors for an index without a multi-vector field.
  r = run_command(tandem() + " index -q --index " + quote(dir_ / "plain") + " --corpus " +
                  quote(dir_ / "c1.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " add -q --index " + quote(dir_ / "plain") + " --corpus " +
                  quote(dir_ / "c2.jsonl") + " --multivec " + quote(dir_ / "mv1.jsonl"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("has no multi-vector field"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tandem
