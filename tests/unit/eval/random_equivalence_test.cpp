// Seeded random runs and qrels, evaluated by evaluate() and by a deliberately plain
// reimplementation written here from the textbook definitions (maps of strings, one formula per
// measure), which shares no code with the library.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/eval/evaluate.hpp"

namespace tandem::eval {
namespace {

using Judgments = std::map<std::string, std::map<std::string, int>>;  // qid -> doc -> grade
using Retrieved =
    std::map<std::string, std::vector<std::pair<std::string, double>>>;  // qid -> hits

struct RandomCase {
  Judgments qrels;
  Retrieved run;
};

RandomCase make_case(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  RandomCase c;
  const int num_queries = 1 + pick(6);
  const int num_docs = 1 + pick(40);
  for (int q = 0; q < num_queries; ++q) {
    const std::string qid = "q" + std::to_string(pick(12));
    for (int k = 0, n = 1 + pick(15); k < n; ++k) {
      static constexpr int kGrades[] = {-1, 0, 0, 0, 1, 1, 1, 2, 3};
      c.qrels[qid]["d" + std::to_string(pick(num_docs))] = kGrades[pick(9)];
    }
    if (pick(4) == 0 || c.run.count(qid)) continue;  // judged, not retrieved (or already drawn)
    std::set<std::string> docs;
    for (int k = 0, n = 1 + pick(num_docs + 5); k < n; ++k)
      docs.insert("d" + std::to_string(pick(num_docs + 5)));
    for (const std::string& d : docs)
      c.run[qid].emplace_back(d, static_cast<double>(pick(5)) / 2.0);  // many ties
  }
  c.run["unjudged"].emplace_back("d0", 1.0);
  return c;
}

struct PlainValues {
  std::map<std::string, double> v;
};

// The definitions, computed from scratch for one query. `hits` is empty for a query the run lacks.
PlainValues plain_measures(const std::map<std::string, int>& judged,
                           std::vector<std::pair<std::string, double>> hits) {
  // Rank: score descending, then document id descending (what trec_eval does).
  std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first > b.first;
  });
  auto grade = [&](const std::string& doc) {
    const auto it = judged.find(doc);
    return it == judged.end() ? -100 : it->second;  // -100: not judged
  };
  int num_rel = 0, num_nonrel = 0;
  std::vector<int> ideal;
  for (const auto& [doc, g] : judged) {
    if (g >= 1) ++num_rel;
    if (g == 0) ++num_nonrel;
    if (g >= 1) ideal.push_back(g);
  }
  std::sort(ideal.rbegin(), ideal.rend());
  PlainValues out;
  auto& v = out.v;
  const int n = static_cast<int>(hits.size());
  v["num_ret"] = n;
  v["num_rel"] = num_rel;
  int rel_ret = 0;
  double ap = 0, dcg = 0, dcg10 = 0, bpref = 0;
  int nonrel_above = 0;
  v["recip_rank"] = 0;
  for (int i = 0; i < n; ++i) {
    const int g = grade(hits[static_cast<std::size_t>(i)].first);
    if (g >= 1) {
      ++rel_ret;
      ap += static_cast<double>(rel_ret) / (i + 1);
      if (rel_ret == 1) v["recip_rank"] = 1.0 / (i + 1);
      bpref += nonrel_above == 0 ? 1.0
                                 : 1.0 - static_cast<double>(std::min(nonrel_above, num_rel)) /
                                             std::min(num_nonrel, num_rel);
    }
    if (g == 0) ++nonrel_above;
    if (g >= 1) {
      dcg += g / std::log2(i + 2.0);
      if (i < 10) dcg10 += g / std::log2(i + 2.0);
    }
    if (i + 1 == 5) v["P_5"] = rel_ret / 5.0;
    if (i + 1 == 10) v["P_10"] = rel_ret / 10.0;
    if (num_rel > 0 && i + 1 == num_rel) v["Rprec"] = static_cast<double>(rel_ret) / num_rel;
  }
  if (n < 5) v["P_5"] = rel_ret / 5.0;
  if (n < 10) v["P_10"] = rel_ret / 10.0;
  if (num_rel > 0 && n < num_rel) v["Rprec"] = static_cast<double>(rel_ret) / num_rel;
  if (num_rel == 0) v["Rprec"] = 0;
  int rel_in_10 = 0;
  for (int i = 0; i < std::min(n, 10); ++i)
    rel_in_10 += grade(hits[static_cast<std::size_t>(i)].first) >= 1;
  v["num_rel_ret"] = rel_ret;
  v["map"] = num_rel ? ap / num_rel : 0;
  v["recall_10"] = num_rel ? static_cast<double>(rel_in_10) / num_rel : 0;
  v["success_10"] = rel_in_10 > 0 ? 1 : 0;
  v["bpref"] = num_rel ? bpref / num_rel : 0;
  v["set_P"] = n ? static_cast<double>(rel_ret) / n : 0;
  double idcg = 0, idcg10 = 0;
  for (std::size_t i = 0; i < ideal.size(); ++i) {
    idcg += ideal[i] / std::log2(i + 2.0);
    if (i < 10) idcg10 += ideal[i] / std::log2(i + 2.0);
  }
  v["ndcg"] = idcg > 0 ? dcg / idcg : 0;
  v["ndcg_cut_10"] = idcg10 > 0 ? dcg10 / idcg10 : 0;
  return out;
}

TEST(RandomEquivalence, EvaluateMatchesPlainDefinitions) {
  const std::vector<std::string> names{"num_ret", "num_rel",     "num_rel_ret", "map",   "P_5",
                                       "P_10",    "recall_10",   "recip_rank",  "Rprec", "bpref",
                                       "ndcg",    "ndcg_cut_10", "success_10",  "set_P"};
  const MeasureSet measures = parse_measures({"num_ret", "num_rel", "num_rel_ret", "map", "P.5,10",
                                              "recall.10", "recip_rank", "Rprec", "bpref", "ndcg",
                                              "ndcg_cut.10", "success.10", "set_P"});
  int compared = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const RandomCase c = make_case(seed);
    Qrels qrels;
    for (const auto& [qid, docs] : c.qrels) {
      for (const auto& [doc, g] : docs) qrels.add(qid, doc, g);
    }
    eval::Run run;
    for (const auto& [qid, hits] : c.run) {
      for (auto it = hits.rbegin(); it != hits.rend(); ++it) run.add(qid, it->first, it->second);
    }
    for (const bool complete : {false, true}) {
      // Expected: evaluated queries in byte order of id, then means (sums for the counts).
      std::map<std::string, PlainValues> expected;
      for (const auto& [qid, judged] : c.qrels) {
        const auto hits = c.run.find(qid);
        if (hits == c.run.end() && !complete) continue;
        expected[qid] = plain_measures(judged, hits == c.run.end()
                                                   ? std::vector<std::pair<std::string, double>>{}
                                                   : hits->second);
      }
      EvalOptions options;
      options.complete = complete;
      if (expected.empty()) {
        EXPECT_THROW(evaluate(qrels, run, measures, options), Error) << "seed " << seed;
        continue;
      }
      const Report report = evaluate(qrels, run, measures, options);
      ASSERT_EQ(report.num_queries(), expected.size()) << "seed " << seed;
      std::size_t qi = 0;
      for (const auto& [qid, values] : expected) {
        ASSERT_EQ(report.queries[qi].qid, qid) << "seed " << seed;
        for (const std::string& name : names) {
          EXPECT_NEAR(report.queries[qi].values[*report.column(name)], values.v.at(name), 1e-12)
              << "seed " << seed << " complete " << complete << " query " << qid << " " << name;
          ++compared;
        }
        ++qi;
      }
      for (const std::string& name : names) {
        double sum = 0;
        for (const auto& [qid, values] : expected) sum += values.v.at(name);
        const bool is_count = name.starts_with("num_");
        EXPECT_NEAR(*report.summary_value(name),
                    is_count ? sum : sum / static_cast<double>(expected.size()), 1e-12)
            << "seed " << seed << " " << name;
      }
    }
  }
  EXPECT_GT(compared, 10000);
}

}  // namespace
}  // namespace tandem::eval
