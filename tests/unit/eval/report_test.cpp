#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tandem/eval/evaluate.hpp"

namespace tandem::eval {
namespace {

Report small_report() {
  const Qrels qrels = parse_qrels("q1 0 d1 1\nq1 0 d2 1\nq2 0 d1 1\n");
  const eval::Run run =
      parse_run("q1 Q0 d1 1 2 my-run\nq1 Q0 d3 2 1 my-run\nq2 Q0 d4 1 1 my-run\n");
  return evaluate(qrels, run,
                  parse_measures({"runid", "num_q", "num_ret", "map", "gm_map", "P.2", "relstring",
                                  "num_nonrel_judged_ret"}));
}

TEST(Report, FormatsExactlyLikeTrecEval) {
  // map: q1 = (1/1)/2 = 0.5, q2 = 0; P_2: q1 = 1/2, q2 = 0; gm_map = exp((ln .5 + ln .00001)/2).
  const std::string expected =
      "num_ret               \tq1\t2\n"
      "map                   \tq1\t0.5000\n"
      "P_2                   \tq1\t0.5000\n"
      "relstring             \tq1\t'1-'\n"
      "num_nonrel_judged_ret \tq1\t0\n"
      "num_ret               \tq2\t1\n"
      "map                   \tq2\t0.0000\n"
      "P_2                   \tq2\t0.0000\n"
      "relstring             \tq2\t'-'\n"
      "num_nonrel_judged_ret \tq2\t0\n"
      "runid                 \tall\tmy-run\n"
      "num_q                 \tall\t2\n"
      "num_ret               \tall\t3\n"
      "map                   \tall\t0.2500\n"
      "gm_map                \tall\t0.0022\n"
      "P_2                   \tall\t0.2500\n"
      "num_nonrel_judged_ret \tall\t0\n";
  const Report r = small_report();
  EXPECT_NEAR(*r.summary_value("gm_map"), std::exp((std::log(0.5) + std::log(0.00001)) / 2), 1e-15);
  EXPECT_EQ(format_trec_eval(r, {.per_query = true}), expected);
  EXPECT_EQ(format_trec_eval(r), expected.substr(expected.find("runid")));
  EXPECT_EQ(format_trec_eval(r, {.per_query = true, .summary = false}),
            expected.substr(0, expected.find("runid")));
}

TEST(Report, LongNamesAndIdsAreNotCut) {
  const Qrels qrels = parse_qrels("a-very-long-query-identifier-beyond-any-buffer-" +
                                  std::string(200, 'x') + " 0 d 1\n");
  const eval::Run run = parse_run("a-very-long-query-identifier-beyond-any-buffer-" +
                                  std::string(200, 'x') + " Q0 d 1 1 t\n");
  const std::string text = format_trec_eval(
      evaluate(qrels, run, parse_measures({"utility.1,-1,0,0"})), {.per_query = true});
  EXPECT_EQ(text.substr(0, 29), "utility_1,-1,0,0      \ta-very");
  EXPECT_NE(text.find(std::string(200, 'x') + "\t1.0000\n"), std::string::npos);
}

TEST(Report, JsonHasTheSameValues) {
  const nlohmann::json j = nlohmann::json::parse(to_json(small_report(), {.per_query = true}));
  EXPECT_EQ(j["run_id"], "my-run");
  EXPECT_EQ(j["num_q"], 2);
  EXPECT_EQ(j["all"]["num_ret"], 3);
  EXPECT_DOUBLE_EQ(j["all"]["map"].get<double>(), 0.25);
  EXPECT_EQ(j["queries"]["q1"]["relstring"], "1-");
  EXPECT_DOUBLE_EQ(j["queries"]["q1"]["P_2"].get<double>(), 0.5);
  EXPECT_FALSE(j["queries"]["q1"].contains("gm_map"));  // summary-only, as in trec_eval -q
  EXPECT_EQ(j["measures"].size(), 8u);
  const nlohmann::json s = nlohmann::json::parse(to_json(small_report()));
  EXPECT_FALSE(s.contains("queries"));
}

TEST(Report, LooksUpValuesByName) {
  const Report r = small_report();
  EXPECT_EQ(r.column("map"), std::optional<std::size_t>(3));
  EXPECT_FALSE(r.column("ndcg").has_value());
  EXPECT_EQ(r.value("q1", "map"), std::optional<double>(0.5));
  EXPECT_FALSE(r.value("q3", "map").has_value());
}

}  // namespace
}  // namespace tandem::eval
