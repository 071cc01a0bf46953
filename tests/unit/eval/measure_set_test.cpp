#include "tandem/eval/measure_set.hpp"

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"

namespace tandem::eval {
namespace {

// All value names of a measure set, in output order.
std::vector<std::string> value_names(const MeasureSet& set) {
  std::vector<std::string> names;
  for (const auto& m : set.measures()) {
    names.insert(names.end(), m->value_names().begin(), m->value_names().end());
  }
  return names;
}

std::string error_of(const std::vector<std::string>& args) {
  try {
    parse_measures(args);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(MeasureSet, DefaultIsTrecEvalsOfficialSet) {
  const std::vector<std::string> expected{"runid",
                                          "num_q",
                                          "num_ret",
                                          "num_rel",
                                          "num_rel_ret",
                                          "map",
                                          "gm_map",
                                          "Rprec",
                                          "bpref",
                                          "recip_rank",
                                          "iprec_at_recall_0.00",
                                          "iprec_at_recall_0.10",
                                          "iprec_at_recall_0.20",
                                          "iprec_at_recall_0.30",
                                          "iprec_at_recall_0.40",
                                          "iprec_at_recall_0.50",
                                          "iprec_at_recall_0.60",
                                          "iprec_at_recall_0.70",
                                          "iprec_at_recall_0.80",
                                          "iprec_at_recall_0.90",
                                          "iprec_at_recall_1.00",
                                          "P_5",
                                          "P_10",
                                          "P_15",
                                          "P_20",
                                          "P_30",
                                          "P_100",
                                          "P_200",
                                          "P_500",
                                          "P_1000"};
  EXPECT_EQ(value_names(parse_measures({})), expected);
  EXPECT_EQ(value_names(parse_measures({"official"})), expected);
}

TEST(MeasureSet, OutputFollowsTrecEvalsTableNotTheCommandLine) {
  EXPECT_EQ(value_names(parse_measures({"ndcg_cut.10", "P.5", "map"})),
            (std::vector<std::string>{"map", "P_5", "ndcg_cut_10"}));
}

TEST(MeasureSet, CutoffsAreSortedAndTheFirstParametersWin) {
  EXPECT_EQ(value_names(parse_measures({"P.100,5,10"})),
            (std::vector<std::string>{"P_5", "P_10", "P_100"}));
  EXPECT_EQ(value_names(parse_measures({"P.5", "P.10"})), (std::vector<std::string>{"P_5"}));
  EXPECT_EQ(value_names(parse_measures({"P", "P.7"})), (std::vector<std::string>{"P_7"}));
  EXPECT_EQ(value_names(parse_measures({"success"})),
            (std::vector<std::string>{"success_1", "success_5", "success_10"}));
  EXPECT_EQ(value_names(parse_measures({"unj"})),
            (std::vector<std::string>{"unj_5", "unj_10", "unj_20"}));
}

TEST(MeasureSet, NamesParametersAsTrecEvalDoes) {
  EXPECT_EQ(value_names(parse_measures({"iprec_at_recall..5,.25,1"})),
            (std::vector<std::string>{"iprec_at_recall_0.25", "iprec_at_recall_0.50",
                                      "iprec_at_recall_1.00"}));
  EXPECT_EQ(value_names(parse_measures({"Rprec_mult.2"})),
            (std::vector<std::string>{"Rprec_mult_2.00"}));
  EXPECT_EQ(value_names(parse_measures({"ndcg.1=3,2=9"})),
            (std::vector<std::string>{"ndcg_1=3,2=9"}));
  EXPECT_EQ(value_names(parse_measures({"set_F.0.5", "utility.1,-1,0,0", "relstring.20"})),
            (std::vector<std::string>{"relstring_20", "utility_1,-1,0,0", "set_F_0.5"}));
  EXPECT_EQ(value_names(parse_measures({"11pt_avg..2,.5"})),
            (std::vector<std::string>{"11pt_avg_.2,.5"}));
  EXPECT_EQ(value_names(parse_measures({"ndcg", "rbp"})),
            (std::vector<std::string>{"ndcg", "rbp"}));
}

TEST(MeasureSet, NicknamesExpandAndIgnoreTheirParameters) {
  const auto all = value_names(parse_measures({"all_trec"}));
  EXPECT_EQ(all.size(), 100u);  // 99 summary lines from trec_eval -m all_trec, plus relstring
  EXPECT_EQ(all.front(), "runid");
  EXPECT_EQ(all.back(), "unj_20");
  EXPECT_EQ(value_names(parse_measures({"official.5"})), value_names(parse_measures({})));
  EXPECT_EQ(
      value_names(parse_measures({"set"})),
      (std::vector<std::string>{"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "utility",
                                "set_P", "set_relative_P", "set_recall", "set_map", "set_F"}));
}

TEST(MeasureSet, RefusesBadNamesAndParameters) {
  EXPECT_NE(error_of({"mapp"}).find("unknown measure 'mapp'"), std::string::npos);
  EXPECT_NE(error_of({"P."}).find("empty parameter list"), std::string::npos);
  EXPECT_NE(error_of({"P.0"}).find("cutoff '0' is not a positive integer"), std::string::npos);
  EXPECT_NE(error_of({"P.-5"}).find("not a positive integer"), std::string::npos);
  EXPECT_NE(error_of({"P.5,x"}).find("cutoff 'x'"), std::string::npos);
  EXPECT_NE(error_of({"P.5,10,5"}).find("duplicate cutoffs"), std::string::npos);
  EXPECT_NE(error_of({"iprec_at_recall.0.5,.5"}).find("duplicate cutoffs"), std::string::npos);
  EXPECT_NE(error_of({"ndcg.1=2,3"}).find("malformed parameters"), std::string::npos);
  EXPECT_NE(error_of({"ndcg.1=2=3"}).find("malformed parameters"), std::string::npos);
  EXPECT_NE(error_of({"utility.1,2"}).find("needs 4 coefficients"), std::string::npos);
  EXPECT_NE(error_of({"Rprec_mult.1e300"}).find("out of range"), std::string::npos);
  try {
    parse_measures({"all_prefs"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unsupported);
  }
}

TEST(MeasureSet, ListsNamesAndNicknames) {
  const auto names = measure_names();
  EXPECT_EQ(names.front(), "runid");
  EXPECT_NE(std::find(names.begin(), names.end(), "ndcg_cut"), names.end());
  const auto nicks = measure_nicknames();
  ASSERT_EQ(nicks.size(), 3u);
  EXPECT_EQ(nicks[0].first, "official");
}

}  // namespace
}  // namespace tandem::eval
