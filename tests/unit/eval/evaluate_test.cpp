// Hand-computed cases for evaluate(): every expected value below is worked out in the comment
// beside it from the definitions, not taken from the code.
#include "tandem/eval/evaluate.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

namespace tandem::eval {
namespace {

Report eval(std::string_view qrels, std::string_view run, const std::vector<std::string>& measures,
            const EvalOptions& options = {}) {
  return evaluate(parse_qrels(qrels, "qrels"), parse_run(run, "run"), parse_measures(measures),
                  options);
}

double q(const Report& r, std::string_view qid, std::string_view name) {
  const auto v = r.value(qid, name);
  EXPECT_TRUE(v.has_value()) << qid << " " << name;
  return v.value_or(-1);
}

double all(const Report& r, std::string_view name) {
  const auto v = r.summary_value(name);
  EXPECT_TRUE(v.has_value()) << name;
  return v.value_or(-1);
}

constexpr double kEps = 1e-12;

// q1 judges d1 and d2 relevant, d3 not; the run ranks d1 (rel), d4 (not judged), d2 (rel).
constexpr std::string_view kQrels = "q1 0 d1 1\nq1 0 d2 1\nq1 0 d3 0\n";
constexpr std::string_view kRun = "q1 Q0 d1 1 3.0 t\nq1 Q0 d4 2 2.0 t\nq1 Q0 d2 3 1.0 t\n";

TEST(Evaluate, BinaryMeasuresOnOneQuery) {
  const Report r =
      eval(kQrels, kRun,
           {"num_ret", "num_rel", "num_rel_ret", "map", "P.2,5", "recall.1,5", "recip_rank",
            "Rprec", "bpref", "ndcg", "success.1", "set_P", "num_nonrel_judged_ret"});
  EXPECT_EQ(q(r, "q1", "num_ret"), 3);
  EXPECT_EQ(q(r, "q1", "num_rel"), 2);
  EXPECT_EQ(q(r, "q1", "num_rel_ret"), 2);
  EXPECT_NEAR(q(r, "q1", "map"), (1.0 / 1 + 2.0 / 3) / 2, kEps);  // relevant at ranks 1 and 3
  EXPECT_NEAR(q(r, "q1", "P_2"), 0.5, kEps);
  EXPECT_NEAR(q(r, "q1", "P_5"), 2.0 / 5, kEps);  // missing ranks count as not relevant
  EXPECT_NEAR(q(r, "q1", "recall_1"), 0.5, kEps);
  EXPECT_NEAR(q(r, "q1", "recall_5"), 1.0, kEps);
  EXPECT_NEAR(q(r, "q1", "recip_rank"), 1.0, kEps);
  EXPECT_NEAR(q(r, "q1", "Rprec"), 0.5, kEps);  // R = 2: one relevant in the top 2
  EXPECT_NEAR(q(r, "q1", "bpref"), 1.0, kEps);  // no judged non-relevant doc ranks above a relevant
  // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1/log2(2) + 1/log2(3).
  EXPECT_NEAR(q(r, "q1", "ndcg"), 1.5 / (1.0 + 1.0 / std::log2(3.0)), kEps);
  EXPECT_EQ(q(r, "q1", "success_1"), 1.0);
  EXPECT_NEAR(q(r, "q1", "set_P"), 2.0 / 3, kEps);
  EXPECT_EQ(q(r, "q1", "num_nonrel_judged_ret"), 0);
}

TEST(Evaluate, TiesAreBrokenByDocumentIdDescendingInByteOrder) {
  // All three tie; trec_eval ranks c, b, a, so the relevant c comes first.
  EXPECT_EQ(q(eval("q 0 c 1\n", "q Q0 a 1 1 t\nq Q0 b 2 1 t\nq Q0 c 3 1 t\n", {"recip_rank"}), "q",
              "recip_rank"),
            1.0);
  EXPECT_NEAR(q(eval("q 0 a 1\n", "q Q0 a 1 1 t\nq Q0 b 2 1 t\nq Q0 c 3 1 t\n", {"recip_rank"}),
                "q", "recip_rank"),
              1.0 / 3, kEps);
  // "9" > "10" bytewise, "d" > "D", and a byte above 0x7f sorts after ASCII.
  EXPECT_EQ(
      q(eval("q 0 9 1\n", "q Q0 10 1 5 t\nq Q0 9 2 5 t\n", {"recip_rank"}), "q", "recip_rank"),
      1.0);
  EXPECT_EQ(q(eval("q 0 d 1\n", "q Q0 D 1 5 t\nq Q0 d 2 5 t\n", {"recip_rank"}), "q", "recip_rank"),
            1.0);
  EXPECT_EQ(q(eval("q 0 \xc3\xa9 1\n", "q Q0 z 1 5 t\nq Q0 \xc3\xa9 2 5 t\n", {"recip_rank"}), "q",
              "recip_rank"),
            1.0);
  // -0 and 0 tie too.
  EXPECT_EQ(
      q(eval("q 0 b 1\n", "q Q0 a 1 0 t\nq Q0 b 2 -0.0 t\n", {"recip_rank"}), "q", "recip_rank"),
      1.0);
  // Scores, not ranks or input order, decide.
  EXPECT_NEAR(
      q(eval("q 0 a 1\n", "q Q0 a 1 1 t\nq Q0 b 2 3 t\n", {"recip_rank"}), "q", "recip_rank"), 0.5,
      kEps);
}

TEST(Evaluate, WithoutCompleteOnlyQueriesInBothCount) {
  // q2 is judged but not retrieved; q9 is retrieved but not judged.
  const std::string qrels = "q1 0 d1 1\nq2 0 d5 1\n";
  const std::string run = "q1 Q0 d1 1 1 t\nq9 Q0 d1 1 1 t\n";
  const Report r = eval(qrels, run, {"num_q", "num_ret", "map", "gm_map", "P.5"});
  EXPECT_EQ(all(r, "num_q"), 1);
  EXPECT_EQ(all(r, "num_ret"), 1);
  EXPECT_NEAR(all(r, "map"), 1.0, kEps);
  ASSERT_EQ(r.num_queries(), 1u);
  EXPECT_EQ(r.queries[0].qid, "q1");
}

TEST(Evaluate, CompleteCountsMissingQueriesAsZero) {
  const std::string qrels = "q1 0 d1 1\nq2 0 d5 1\n";
  const std::string run = "q1 Q0 d1 1 1 t\nq9 Q0 d1 1 1 t\n";
  EvalOptions options;
  options.complete = true;
  const Report r = eval(
      qrels, run, {"num_q", "num_ret", "num_rel", "map", "gm_map", "P.5", "relstring", "utility"},
      options);
  EXPECT_EQ(all(r, "num_q"), 2);
  EXPECT_EQ(all(r, "num_ret"), 1);  // the missing query retrieves nothing
  EXPECT_EQ(all(r, "num_rel"), 2);
  EXPECT_NEAR(all(r, "map"), 0.5, kEps);
  EXPECT_NEAR(all(r, "P_5"), (0.2 + 0.0) / 2, kEps);
  // Geometric mean of AP 1 and the floor 0.00001 for the missing query.
  EXPECT_NEAR(all(r, "gm_map"), std::sqrt(0.00001), 1e-15);
  EXPECT_NEAR(all(r, "utility"), (1.0 + 0.0) / 2, kEps);
  EXPECT_EQ(q(r, "q2", "num_ret"), 0);
  EXPECT_EQ(r.queries[1].texts[*r.column("relstring")], "");
}

TEST(Evaluate, QueryWithoutRelevantDocumentsCountsAsZero) {
  const Report r = eval("q1 0 d1 0\nq2 0 d1 1\n", "q1 Q0 d1 1 1 t\nq2 Q0 d1 1 1 t\n",
                        {"num_q", "num_rel", "map", "bpref", "ndcg"});
  EXPECT_EQ(all(r, "num_q"), 2);
  EXPECT_EQ(q(r, "q1", "num_rel"), 0);
  EXPECT_EQ(q(r, "q1", "map"), 0.0);
  EXPECT_EQ(q(r, "q1", "ndcg"), 0.0);
  EXPECT_NEAR(all(r, "map"), 0.5, kEps);
}

TEST(Evaluate, GradedGainsAndNegativeGrades) {
  // Ranking: a (grade 1), b (grade 3), u (grade -1: pooled, unjudged), n (not in the qrels).
  // c (grade 2) and z (grade 0) are judged, not retrieved.
  const std::string qrels = "q 0 a 1\nq 0 b 3\nq 0 c 2\nq 0 z 0\nq 0 u -1\n";
  const std::string run = "q Q0 a 1 4 t\nq Q0 b 2 3 t\nq Q0 u 3 2 t\nq Q0 n 4 1 t\n";
  const Report r = eval(
      qrels, run, {"num_rel", "num_rel_ret", "ndcg", "ndcg_cut.1,10", "relstring", "map", "infAP"});
  EXPECT_EQ(q(r, "q", "num_rel"), 3);  // grades >= 1
  EXPECT_EQ(q(r, "q", "num_rel_ret"), 2);
  const double dcg = 1.0 / std::log2(2.0) + 3.0 / std::log2(3.0);
  const double ideal = 3.0 / std::log2(2.0) + 2.0 / std::log2(3.0) + 1.0 / std::log2(4.0);
  EXPECT_NEAR(q(r, "q", "ndcg"), dcg / ideal, kEps);
  EXPECT_NEAR(q(r, "q", "ndcg_cut_10"), dcg / ideal, kEps);
  EXPECT_NEAR(q(r, "q", "ndcg_cut_1"), 1.0 / 3.0, kEps);  // 1 / log2(2) over 3 / log2(2)
  EXPECT_NEAR(q(r, "q", "map"), (1.0 + 1.0) / 3, kEps);
  const std::size_t relstring = *r.column("relstring");
  EXPECT_EQ(r.queries[0].texts[relstring], "13.-");
  // With gains 1=10: a gains 10, b 3; ideal is 10, 3, 2.
  const Report g = eval(qrels, run, {"ndcg.1=10"});
  EXPECT_NEAR(q(g, "q", "ndcg_1=10"),
              (10.0 + 3.0 / std::log2(3.0)) / (10.0 + 3.0 / std::log2(3.0) + 2.0 / std::log2(4.0)),
              kEps);
}

TEST(Evaluate, RelevanceLevelCutoffAndJudgedOnly) {
  const std::string qrels = "q 0 a 1\nq 0 b 2\nq 0 c 0\n";
  const std::string run = "q Q0 x 1 9 t\nq Q0 a 2 8 t\nq Q0 c 3 7 t\nq Q0 b 4 6 t\n";
  EvalOptions l2;
  l2.relevance_level = 2;
  const Report r2 = eval(qrels, run, {"num_rel", "map", "P.4"}, l2);
  EXPECT_EQ(q(r2, "q", "num_rel"), 1);
  EXPECT_NEAR(q(r2, "q", "map"), 1.0 / 4, kEps);  // only b, at rank 4
  EvalOptions cut;
  cut.max_hits_per_query = 2;
  const Report rm = eval(qrels, run, {"num_ret", "map", "P.4"}, cut);
  EXPECT_EQ(q(rm, "q", "num_ret"), 2);
  EXPECT_NEAR(q(rm, "q", "map"), (1.0 / 2) / 2, kEps);
  EXPECT_NEAR(q(rm, "q", "P_4"), 1.0 / 4, kEps);
  EvalOptions judged;
  judged.judged_only = true;
  const Report rj = eval(qrels, run, {"num_ret", "map"}, judged);
  EXPECT_EQ(q(rj, "q", "num_ret"), 3);  // x is dropped: a, c, b
  EXPECT_NEAR(q(rj, "q", "map"), (1.0 / 1 + 2.0 / 3) / 2, kEps);
}

TEST(Evaluate, RefusesDuplicatesAsTrecEvalDoes) {
  try {
    eval("q 0 a 1\n", "q Q0 a 1 2 t\nq Q0 b 2 1 t\nq Q0 a 3 0 t\n", {"map"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
    EXPECT_STREQ(
        e.what(),
        "run: query 'q' retrieves document 'a' twice (lines 1 and 3); trec_eval refuses this too");
  }
  // Beyond -M the duplicate is not looked at.
  EvalOptions cut;
  cut.max_hits_per_query = 2;
  EXPECT_NO_THROW(eval("q 0 a 1\n", "q Q0 a 1 2 t\nq Q0 b 2 1 t\nq Q0 a 3 0 t\n", {"map"}, cut));
  // A query without judgments is never looked at either.
  EXPECT_NO_THROW(eval("q 0 a 1\n", "q Q0 a 1 2 t\nz Q0 b 1 1 t\nz Q0 b 1 1 t\n", {"map"}));
  try {
    eval("q 0 a 1\nq 0 a 0\n", "q Q0 a 1 2 t\n", {"map"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(
        e.what(),
        "qrels: query 'q' judges document 'a' twice (lines 1 and 2); trec_eval refuses this too");
  }
}

TEST(Evaluate, NoQueryInCommonIsAnErrorWithoutComplete) {
  EXPECT_THROW(eval("q 0 a 1\n", "z Q0 a 1 1 t\n", {"map"}), Error);
  EXPECT_THROW(eval("q 0 a 1\n", "", {"map"}), Error);
  EvalOptions complete;
  complete.complete = true;
  const Report r = eval("q 0 a 1\n", "", {"num_q", "map"}, complete);  // an empty run scores 0
  EXPECT_EQ(all(r, "num_q"), 1);
  EXPECT_EQ(all(r, "map"), 0.0);
}

TEST(Evaluate, MemoryRunEqualsFileRunAndThreadsDoNotMatter) {
  const std::string qrels_text = "q1 0 d1 1\nq1 0 d2 2\nq2 0 d3 1\nq3 0 d1 1\n";
  const std::string run_text =
      "q1 Q0 d2 1 2 t\nq1 Q0 d9 2 1 t\nq1 Q0 d1 3 1 t\nq2 Q0 d3 1 5 t\nq3 Q0 d4 1 1 t\n";
  const Qrels qrels = parse_qrels(qrels_text);
  eval::Run memory("memory");
  memory.set_run_id("t");
  memory.add("q3", "d4", 1);
  memory.add("q1", "d1", 1);
  memory.add("q2", "d3", 5);
  memory.add("q1", "d9", 1);
  memory.add("q1", "d2", 2);
  const MeasureSet measures = parse_measures({"all_trec"});
  EvalOptions options;
  options.complete = true;
  const std::string from_file = format_trec_eval(
      evaluate(qrels, parse_run(run_text), measures, options), {.per_query = true});
  EXPECT_EQ(format_trec_eval(evaluate(qrels, memory, measures, options), {.per_query = true}),
            from_file);
  options.threads = 3;
  EXPECT_EQ(format_trec_eval(evaluate(qrels, memory, measures, options), {.per_query = true}),
            from_file);
}

}  // namespace
}  // namespace tandem::eval
