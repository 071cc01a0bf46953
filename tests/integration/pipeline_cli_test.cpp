// Hybrid pipelines end to end through the command-line tool: a BM25 + dense pipeline on a small
// index, fused by RRF and by min-max, with metadata filters, explain output, errors naming the
// JSON path, and `tandem tune`. Expected rankings are worked out by hand in the comments.
#include <map>
#include <tuple>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace tandem {
namespace {

using test::run_command;
using test::TempDir;

using test::tandem;

using test::quote;

// BM25 for "brown dog": d1 holds both terms; d2 and d3 one each with the same length and idf, so
// they tie and d2 (smaller id) ranks first; d4 matches nothing.
// Dense (ip) for q1 = [0, 1]: d2 1, d3 0.8, d4 0.6, d1 0.
class PipelineCli : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_file(dir / "corpus.jsonl",
                     "{\"_id\": \"d1\", \"title\": \"\", \"text\": \"brown dog runs\", \"year\": "
                     "2001, \"source\": \"a\"}\n"
                     "{\"_id\": \"d2\", \"title\": \"\", \"text\": \"brown cat\", \"year\": 2012, "
                     "\"source\": \"b\"}\n"
                     "{\"_id\": \"d3\", \"title\": \"\", \"text\": \"green dog\", \"year\": 2015, "
                     "\"source\": \"a\"}\n"
                     "{\"_id\": \"d4\", \"title\": \"\", \"text\": \"blue bird\", \"year\": 2020, "
                     "\"source\": \"b\"}\n");
    test::write_file(dir / "v.jsonl",
                     "{\"id\": \"d1\", \"vector\": [1, 0]}\n{\"id\": \"d2\", \"vector\": [0, 1]}\n"
                     "{\"id\": \"d3\", \"vector\": [0.6, 0.8]}\n"
                     "{\"id\": \"d4\", \"vector\": [0.8, 0.6]}\n");
    test::write_file(dir / "q.tsv", "q1\tbrown dog\n");
    test::write_file(dir / "qv.jsonl", "{\"qid\": \"q1\", \"vector\": [0, 1]}\n");
    const auto r =
        run_command(tandem() + " index --corpus " + quote(dir / "corpus.jsonl") + " --dense " +
                    quote(dir / "v.jsonl") + " --metric ip --hnsw --deterministic -q --index " +
                    quote(dir / "idx"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  std::string pipeline(const std::string& fusion, const std::string& extra = "",
                       const std::string& method = "exact") {
    const std::string p = (dir / "p.json").string();
    test::write_file(
        dir / "p.json",
        "{\"index\": " + nlohmann::json((dir / "idx").string()).dump() +
            ", \"legs\": [{\"kind\": \"bm25\"}, {\"kind\": \"dense\", \"method\": \"" + method +
            "\", \"query_vectors\": " + nlohmann::json((dir / "qv.jsonl").string()).dump() +
            "}], \"fusion\": " + fusion + extra + "}");
    return p;
  }

  std::vector<std::string> run_ids(const std::string& pipeline_file) {
    const auto r =
        run_command(tandem() + " search --pipeline " + quote(pipeline_file) + " --queries " +
                    quote(dir / "q.tsv") + " --run " + quote(dir / "run.txt") + " --stats " +
                    quote(dir / "stats.json") + " -q");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> ids;
    std::istringstream in(test::read_file(dir / "run.txt"));
    std::string qid, q0, id, rank, score, tag;
    while (in >> qid >> q0 >> id >> rank >> score >> tag) ids.push_back(id);
    return ids;
  }

  TempDir dir;
};

TEST_F(PipelineCli, RrfFusesBothLegs) {
  // d1 1/61+1/64 = .032018; d2 1/62+1/61 = .032522; d3 1/63+1/62 = .032002; d4 1/63.
  for (const char* method : {"exact", "hnsw"}) {
    EXPECT_EQ(run_ids(pipeline(R"({"method": "rrf", "k": 60})", "", method)),
              (std::vector<std::string>{"d2", "d1", "d3", "d4"}))
        << method;
  }
  const auto stats = nlohmann::json::parse(test::read_file(dir / "stats.json"));
  EXPECT_EQ(stats["queries"], 1);
  for (const char* key : {"qps", "latency_us", "settings", "stages_us"})
    EXPECT_TRUE(stats.contains(key)) << key << "\n" << stats.dump(2);
  EXPECT_TRUE(stats["stages_us"].contains("leg:bm25"));
  EXPECT_TRUE(stats["stages_us"].contains("fusion"));
  EXPECT_EQ(stats["settings"]["fusion"]["method"], "rrf");
}

// The same legs over three layouts of the same documents give byte-identical runs: one index
// with both fields; a text index and a dense index with the same id table (fusion matches
// documents by location and looks ids up only for its output); a text index and a dense index
// whose documents sit elsewhere (two segments: fusion matches documents by id).
TEST_F(PipelineCli, LayoutsOfTheSameDocumentsFuseAlike) {
  test::write_file(dir / "v12.jsonl",
                   "{\"id\": \"d1\", \"vector\": [1, 0]}\n{\"id\": \"d2\", \"vector\": [0, 1]}\n");
  test::write_file(dir / "v34.jsonl",
                   "{\"id\": \"d3\", \"vector\": [0.6, 0.8]}\n"
                   "{\"id\": \"d4\", \"vector\": [0.8, 0.6]}\n");
  for (const auto& cmd :
       {" index --corpus " + quote(dir / "corpus.jsonl") + " -q --index " + quote(dir / "text"),
        " index --dense " + quote(dir / "v.jsonl") + " --metric ip -q --index " +
            quote(dir / "same"),
        " index --dense " + quote(dir / "v12.jsonl") + " --metric ip -q --index " +
            quote(dir / "other"),
        " add --dense " + quote(dir / "v34.jsonl") + " --no-auto-merge -q --index " +
            quote(dir / "other")}) {
    const auto r = run_command(tandem() + cmd);
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
  }
  const auto json_path = [](const std::filesystem::path& p) {
    return nlohmann::json(p.string()).dump();
  };
  std::map<std::string, std::string> expected;  // fusion -> run of the one-index layout
  for (const std::string fusion :
       {R"({"method": "rrf", "k": 60})", R"({"method": "convex", "normalize": "min-max"})",
        R"({"method": "convex", "normalize": "z-score", "alpha": 0.3})"}) {
    for (const auto& [text, dense, by] :
         {std::tuple{"idx", "idx", "location"}, std::tuple{"text", "same", "location"},
          std::tuple{"text", "other", "id"}}) {
      test::write_file(
          dir / "layout.json",
          "{\"k\": 10, \"legs\": [{\"kind\": \"bm25\", \"index\": " + json_path(dir / text) +
              "}, {\"kind\": \"dense\", \"index\": " + json_path(dir / dense) +
              ", \"query_vectors\": " + json_path(dir / "qv.jsonl") + "}], \"fusion\": " + fusion +
              "}");
      const auto ids = run_ids((dir / "layout.json").string());
      EXPECT_EQ(ids.size(), 4u) << text << " + " << dense << " " << fusion;
      const auto stats = nlohmann::json::parse(test::read_file(dir / "stats.json"));
      EXPECT_EQ(stats["settings"]["match_documents_by"], by) << text << " + " << dense;
      const std::string run = test::read_file(dir / "run.txt");
      if (expected.count(fusion) == 0) expected[fusion] = run;
      EXPECT_EQ(run, expected[fusion]) << text << " + " << dense << " " << fusion;
    }
  }
}

TEST_F(PipelineCli, ConvexAlphaMovesBetweenTheLegs) {
  // alpha 1: BM25 alone decides, BM25-less documents get its floor (0): d1, d2, d3, then d4.
  EXPECT_EQ(run_ids(pipeline(R"({"method": "convex", "alpha": 1})")),
            (std::vector<std::string>{"d1", "d2", "d3", "d4"}));
  // alpha 0: the dense order d2 d3 d4 d1.
  EXPECT_EQ(run_ids(pipeline(R"({"method": "convex", "alpha": 0})")),
            (std::vector<std::string>{"d2", "d3", "d4", "d1"}));
}

TEST_F(PipelineCli, FiltersApplyInsideEveryLeg) {
  // year >= 2010 drops d1 from both legs: BM25 d2 d3, dense d2 d3 d4.
  EXPECT_EQ(run_ids(pipeline(R"({"method": "rrf"})", R"(, "filter": {"year": {"gte": 2010}})")),
            (std::vector<std::string>{"d2", "d3", "d4"}));
  // ... and source "a" leaves d3 alone.
  EXPECT_EQ(run_ids(pipeline(R"({"method": "rrf"})",
                             R"(, "filter": {"year": {"gte": 2010}, "source": "a"})", "hnsw")),
            (std::vector<std::string>{"d3"}));
  const auto stats = nlohmann::json::parse(test::read_file(dir / "stats.json"));
  EXPECT_EQ(stats["settings"]["filter_allowed"], 1);
}

TEST_F(PipelineCli, ALegsOwnFilterAppliesToThatLegOnly) {
  const auto legs = [&](const std::string& bm25_filter, const std::string& dense_filter) {
    return ", \"legs\": [{\"kind\": \"bm25\"" + bm25_filter +
           "}, {\"kind\": \"dense\", \"method\": \"hnsw\", \"query_vectors\": " +
           nlohmann::json((dir / "qv.jsonl").string()).dump() + dense_filter + "}]";
  };
  const auto write = [&](const std::string& body) {
    test::write_file(dir / "p.json",
                     "{\"index\": " + nlohmann::json((dir / "idx").string()).dump() +
                         ", \"fusion\": {\"method\": \"rrf\"}" + body + "}");
    return (dir / "p.json").string();
  };
  // BM25 only over source "b" (d2, d4): its list is d2 alone; dense keeps d2 d3 d4 d1.
  // RRF: d2 1/61 + 1/61, d3 1/62, d4 1/63, d1 1/64 (without the filter: d2 d1 d3 d4).
  EXPECT_EQ(run_ids(write(legs(R"(, "filter": {"source": "b"})", ""))),
            (std::vector<std::string>{"d2", "d3", "d4", "d1"}));
  auto stats = nlohmann::json::parse(test::read_file(dir / "stats.json"));
  EXPECT_EQ(stats["settings"]["legs"][0]["filter_allowed"], 2);
  EXPECT_FALSE(stats["settings"]["legs"][1].contains("filter"));
  // Dense only over year < 2013 (d1, d2): dense d2 1, d1 0; BM25 d1 d2 d3.
  // RRF: d1 1/61 + 1/62 and d2 1/62 + 1/61 tie (d1 first by id), d3 1/63.
  EXPECT_EQ(run_ids(write(legs("", R"(, "filter": {"year": {"lt": 2013}})"))),
            (std::vector<std::string>{"d1", "d2", "d3"}));
  // With the pipeline's filter (year >= 2010: d2 d3 d4) too, BM25's own (source "b") narrows it
  // to d2 d4: BM25 d2; dense d2 d3 d4. RRF: d2, d3 1/62, d4 1/63.
  EXPECT_EQ(run_ids(write(legs(R"(, "filter": {"source": "b"})", "") +
                          R"(, "filter": {"year": {"gte": 2010}})")),
            (std::vector<std::string>{"d2", "d3", "d4"}));
  stats = nlohmann::json::parse(test::read_file(dir / "stats.json"));
  EXPECT_EQ(stats["settings"]["filter_allowed"], 3);
  EXPECT_EQ(stats["settings"]["legs"][0]["filter_allowed"], 2);
  // A bad condition in a leg's filter names its path.
  const auto r =
      run_command(tandem() + " search --pipeline " +
                  quote(write(legs(R"(, "filter": {"year": {"gtx": 1}})", ""))) + " --query x -q");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("legs[0].filter.year"), std::string::npos) << r.err;
}

TEST_F(PipelineCli, ImpactLegAndItsFilterRefetch) {
  // Learned-sparse vectors: for the query {"a": 1} impact scores are d2 3, d4 2, d1 1 (d3 has no
  // a).
  test::write_file(dir / "s.jsonl",
                   "{\"id\": \"d1\", \"vector\": {\"a\": 1}}\n"
                   "{\"id\": \"d2\", \"vector\": {\"a\": 3, \"b\": 1}}\n"
                   "{\"id\": \"d3\", \"vector\": {\"b\": 2}}\n"
                   "{\"id\": \"d4\", \"vector\": {\"a\": 2}}\n");
  auto r = run_command(tandem() + " index --corpus " + quote(dir / "corpus.jsonl") + " --sparse " +
                       quote(dir / "s.jsonl") + " -q --index " + quote(dir / "sidx"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  test::write_file(dir / "sq.jsonl", "{\"qid\": \"q1\", \"vector\": {\"a\": 1}}\n");
  const auto write = [&](const std::string& leg, const std::string& extra) {
    test::write_file(dir / "sp.json",
                     "{\"index\": " + nlohmann::json((dir / "sidx").string()).dump() +
                         ", \"legs\": [" + leg + "]" + extra + "}");
    return (dir / "sp.json").string();
  };
  const std::string q = nlohmann::json((dir / "sq.jsonl").string()).dump();
  for (const char* kind : {"impact", "sparse-approx"}) {
    const std::string leg = std::string("{\"kind\": \"") + kind + "\", \"queries\": " + q;
    EXPECT_EQ(run_ids(write(leg + "}", "")), (std::vector<std::string>{"d2", "d4", "d1"})) << kind;
    // depth 1 with year >= 2015 (d3, d4): impact skips d2 inside the query algorithm;
    // sparse-approx's first fetch (d2) is filtered out and it fetches deeper.
    EXPECT_EQ(run_ids(write(leg + ", \"depth\": 1}", R"(, "filter": {"year": {"gte": 2015}})")),
              (std::vector<std::string>{"d4"}))
        << kind;
  }
  // BM25 over the same index with the filter through the deleted-docs hook: "brown dog" finds
  // d1, d2, d3; d1 (2001) is filtered out; d2 and d3 tie and keep id order.
  EXPECT_EQ(run_ids(write(R"({"kind": "bm25"})", R"(, "filter": {"year": {"gt": 2001}})")),
            (std::vector<std::string>{"d2", "d3"}));
}

TEST_F(PipelineCli, ExplainShowsEveryLeg) {
  const std::string p = pipeline(R"({"method": "convex", "alpha": 0.5})");
  test::write_file(dir / "qv.jsonl", "{\"qid\": \"query\", \"vector\": [0, 1]}\n");
  auto r = run_command(tandem() + " search --pipeline " + quote(p) +
                       " --query 'brown dog' --explain --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // d2: BM25 rank 2, min-max over BM25 (d1 max, d2 = d3 min) -> 0; dense rank 1 -> 1. Fused .5.
  // d1: BM25 1 -> 1; dense rank 4 (0) -> 0. Fused .5. Tie: d1 before d2.
  ASSERT_GE(j["hits"].size(), 2u);
  EXPECT_EQ(j["hits"][0]["id"], "d1");
  EXPECT_EQ(j["hits"][1]["id"], "d2");
  EXPECT_DOUBLE_EQ(j["hits"][0]["score"].get<double>(), 0.5);
  EXPECT_EQ(j["hits"][1]["legs"]["bm25"]["rank"], 2);
  EXPECT_EQ(j["hits"][1]["legs"]["dense"]["rank"], 1);
  EXPECT_DOUBLE_EQ(j["hits"][1]["legs"]["dense"]["normalized"].get<double>(), 1.0);
  // d4 has no BM25 score: rank null, the floor 0.
  for (const auto& h : j["hits"]) {
    if (h["id"] == "d4") {
      EXPECT_TRUE(h["legs"]["bm25"]["rank"].is_null());
      EXPECT_EQ(h["legs"]["bm25"]["normalized"], 0.0);
    }
  }
  EXPECT_TRUE(j["timings_us"].contains("leg:dense"));
  EXPECT_TRUE(j["timings_us"].contains("total"));
  r = run_command(tandem() + " search --pipeline " + quote(p) + " --query 'brown dog' --explain");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("bm25 (rank raw -> norm)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("missing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("timings (us):"), std::string::npos) << r.out;
}

TEST_F(PipelineCli, ErrorsNameTheFileAndPath) {
  test::write_file(dir / "bad.json",
                   "{\"index\": \"x\", \"legs\": [{\"kind\": \"bm25\", \"depht\": 10}]}");
  auto r = run_command(tandem() + " search --pipeline " + quote(dir / "bad.json") + " --queries " +
                       quote(dir / "q.tsv") + " --run " + quote(dir / "r.txt"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("legs[0].depht: unknown key"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "r.txt"));
  // A query without a vector in the dense leg's file.
  test::write_file(dir / "q2.tsv", "q9\tbrown\n");
  r = run_command(tandem() + " search --pipeline " + quote(pipeline(R"({"method": "rrf"})")) +
                  " --queries " + quote(dir / "q2.tsv") + " --run " + quote(dir / "r.txt"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("has no vector for query 'q9'"), std::string::npos) << r.err;
  // A filter on an index without stored documents.
  r = run_command(tandem() + " index --corpus " + quote(dir / "corpus.jsonl") +
                  " --no-store -q --index " + quote(dir / "nostore"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  test::write_file(dir / "f.json",
                   "{\"index\": " + nlohmann::json((dir / "nostore").string()).dump() +
                       ", \"legs\": [{\"kind\": \"bm25\"}], \"filter\": "
                       "{\"year\": 2001}}");
  r = run_command(tandem() + " search --pipeline " + quote(dir / "f.json") + " --query brown");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("keeps no stored documents"), std::string::npos) << r.err;
}

TEST_F(PipelineCli, TuneReportsTheChosenSettingAndItsTestScore) {
  // Four queries; qrels given split so the expected choice can be worked out.
  test::write_file(dir / "q.tsv", "q1\tbrown dog\nq2\tbrown dog\nq3\tbrown dog\nq4\tbrown dog\n");
  test::write_file(
      dir / "qv.jsonl",
      "{\"qid\": \"q1\", \"vector\": [0, 1]}\n{\"qid\": \"q2\", \"vector\": [0, 1]}\n"
      "{\"qid\": \"q3\", \"vector\": [0, 1]}\n{\"qid\": \"q4\", \"vector\": [0, 1]}\n");
  // Train: d1 relevant (BM25's top, dense's last): alpha 1 puts it first (P@1 = 1); alpha 0
  // puts it last. Test: d1 relevant too, so the chosen setting scores 1 on test.
  test::write_file(dir / "train.qrels", "q1 0 d1 1\nq2 0 d1 1\n");
  test::write_file(dir / "test.qrels", "q3 0 d1 1\nq4 0 d1 1\n");
  const std::string p = pipeline(R"({"method": "convex", "alpha": 0.5})");
  auto r = run_command(tandem() + " tune --pipeline " + quote(p) + " --queries " +
                       quote(dir / "q.tsv") + " --train-qrels " + quote(dir / "train.qrels") +
                       " --test-qrels " + quote(dir / "test.qrels") +
                       " --param fusion.alpha=0,0.3,1 --measure P.1 --json -q --out " +
                       quote(dir / "tune.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(test::read_file(dir / "tune.json"));
  EXPECT_EQ(j["measure"], "P_1");
  EXPECT_EQ(j["chosen"]["fusion.alpha"], 1);
  EXPECT_EQ(j["chosen_train"], 1.0);
  EXPECT_EQ(j["test"], 1.0);
  EXPECT_EQ(j["train_queries"], 2);
  EXPECT_EQ(j["test_queries"], 2);
  ASSERT_EQ(j["grid"].size(), 3u);
  EXPECT_EQ(j["grid"][0]["train"], 0.0);  // alpha 0: d2 first
  EXPECT_TRUE(j["legs_reused"].get<bool>());
  // The help lists every option.
  r = run_command(tandem() + " tune --help");
  for (const char* opt : {"--pipeline", "--queries", "--qrels", "--train-qrels", "--test-qrels",
                          "--train-fraction", "--seed", "--measure", "--param", "--out"})
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

}  // namespace
}  // namespace tandem
