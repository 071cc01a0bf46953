// `tandem add`, `delete` and `merge` on an index with text, learned-sparse and dense fields, run
// like a user would (the example of docs/live.md, "Fields", on tests/data/live_fields): every
// retriever sees the added and updated documents, none returns a deleted one, and a document
// without vectors is found by BM25 only. Also the errors of bad adds.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;
using test::run_command;

using test::tandem;

using test::quote;

fs::path data(const std::string& name) {
  return test::source_dir() / "tests/data/live_fields" / name;
}

// The run lines of one retriever ("q1 Q0 d3 1 ...") as "q1 d3" pairs, in order.
std::vector<std::string> ranking(const fs::path& index, const std::string& retriever,
                                 const fs::path& queries, const fs::path& run) {
  const auto r =
      run_command(tandem() + " search --index " + quote(index) + " --retriever " + retriever +
                  " --queries " + quote(queries) + " --run " + quote(run) + " --k 10 -q");
  EXPECT_EQ(r.exit_code, 0) << retriever << ": " << r.err;
  std::vector<std::string> out;
  std::istringstream in(test::read_file(run));
  std::string q, q0, doc, rank, score, tag;
  while (in >> q >> q0 >> doc >> rank >> score >> tag) out.push_back(q + " " + doc);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(LiveFieldsCli, AddDeleteMergeWithSparseAndDenseFields) {
  test::TempDir dir;
  const fs::path idx = dir / "hybrid";
  auto r = run_command(tandem() + " index -q --index " + quote(idx) + " --corpus " +
                       quote(data("corpus.jsonl")) + " --sparse " + quote(data("sparse.jsonl")) +
                       " --dense " + quote(data("dense.jsonl")) +
                       " --metric cosine --hnsw --deterministic --codes sq8");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " add --no-auto-merge --index " + quote(idx) + " --corpus " +
                  quote(data("batch.jsonl")) + " --sparse " + quote(data("batch.sparse.jsonl")) +
                  " --dense " + quote(data("batch.dense.jsonl")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("added 2 documents (1 replaced)"), std::string::npos) << r.out;
  const fs::path sq = data("queries.sparse.jsonl"), dq = data("queries.dense.jsonl");
  // The new document d6 is found through both vector fields; q2 is about dense graphs.
  EXPECT_TRUE(contains(ranking(idx, "impact", sq, dir / "run"), "q2 d6"));
  EXPECT_TRUE(contains(ranking(idx, "hnsw", dq, dir / "run"), "q2 d6"));
  r = run_command(tandem() + " delete -q --index " + quote(idx) + " --id d2 --id d6");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (int merged = 0; merged < 2; ++merged) {
    for (const std::string retriever : {"impact", "sparse-approx"}) {
      const auto run = ranking(idx, retriever, sq, dir / "run");
      EXPECT_FALSE(run.empty()) << retriever;
      for (const auto& hit : run) {
        EXPECT_TRUE(hit.find("d2") == std::string::npos && hit.find("d6") == std::string::npos &&
                    hit.find("d5") == std::string::npos)
            << retriever << " returned " << hit << (merged ? " after the merge" : "");
      }
    }
    for (const std::string retriever : {"dense-exact", "hnsw", "sq8"}) {
      const auto run = ranking(idx, retriever, dq, dir / "run");
      EXPECT_EQ(run.size(), 6u) << retriever << ": d1, d3, d4 for each of 2 queries";
      for (const auto& hit : run) {
        EXPECT_TRUE(hit.find("d2") == std::string::npos && hit.find("d6") == std::string::npos &&
                    hit.find("d5") == std::string::npos)
            << retriever << " returned " << hit << (merged ? " after the merge" : "");
      }
    }
    // d4 was updated: its new vector [0.7, 0, 0.7, 0.1] is now q1's nearest after d1.
    EXPECT_EQ(ranking(idx, "dense-exact", dq, dir / "run").at(1), "q1 d4");
    r = run_command(tandem() + " verify --index " + quote(idx));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    if (merged == 0) {
      r = run_command(tandem() + " merge -q --index " + quote(idx));
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  // d5 has no vectors but is a document: BM25 finds it.
  r = run_command(tandem() + " search --index " + quote(idx) + " --query 'without vectors' --k 1");
  EXPECT_NE(r.out.find("d5"), std::string::npos) << r.out;
}

TEST(LiveFieldsCli, BadVectorAddsAreRefusedAndChangeNothing) {
  test::TempDir dir;
  const fs::path idx = dir / "idx";
  auto r = run_command(tandem() + " index -q --index " + quote(idx) + " --corpus " +
                       quote(data("corpus.jsonl")) + " --dense " + quote(data("dense.jsonl")) +
                       " --metric ip");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Wrong dimension.
  test::write_file(dir / "v3.jsonl", "{\"id\": \"d6\", \"vector\": [1, 2, 3]}\n");
  r = run_command(tandem() + " add -q --index " + quote(idx) + " --corpus " +
                  quote(data("batch.jsonl")) + " --dense " + quote(dir / "v3.jsonl"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("dimension 3"), std::string::npos) << r.err;
  // A vector for a document that is not added (d1 is in the index, not in the batch).
  test::write_file(dir / "v1.jsonl", "{\"id\": \"d1\", \"vector\": [1, 2, 3, 4]}\n");
  r = run_command(tandem() + " add -q --index " + quote(idx) + " --corpus " +
                  quote(data("batch.jsonl")) + " --dense " + quote(dir / "v1.jsonl"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("'d1' is not a document of the corpus"), std::string::npos) << r.err;
  // Dense vectors for an index without a dense field.
  r = run_command(tandem() + " index -q --overwrite --index " + quote(idx) + " --corpus " +
                  quote(data("corpus.jsonl")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_command(tandem() + " add -q --index " + quote(idx) + " --corpus " +
                  quote(data("batch.jsonl")) + " --dense " + quote(data("batch.dense.jsonl")));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("has no dense field"), std::string::npos) << r.err;
  r = run_command(tandem() + " info --json --index " + quote(idx));
  EXPECT_NE(r.out.find("\"documents\": 5"), std::string::npos) << "nothing was added\n" << r.out;
}

}  // namespace
}  // namespace tandem
