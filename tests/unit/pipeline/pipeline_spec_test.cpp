// Parsing pipeline descriptions: defaults, and errors that name the JSON path at fault.
#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/pipeline/pipeline.hpp"

namespace tandem::pipeline {
namespace {

// The message of the Error parsing `text` throws (fails the test if it does not throw).
std::string error_of(const std::string& text, ErrorKind kind = ErrorKind::invalid_argument) {
  try {
    parse_pipeline_spec(text, "p.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error for " << text;
  return "";
}

#define EXPECT_HAS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

TEST(PipelineSpec, DefaultsOfATwoLegPipeline) {
  const auto s = parse_pipeline_spec(
      R"({"index": "idx", "legs": [{"kind": "bm25"},
          {"kind": "dense", "index": "dense-idx", "encoder": "m.model", "depth": 200}],
          "fusion": {"method": "convex", "alpha": 0.3}})",
      "p.json");
  ASSERT_EQ(s.legs.size(), 2u);
  EXPECT_EQ(s.k, 1000u);
  EXPECT_EQ(s.legs[0].name, "bm25");
  EXPECT_EQ(s.legs[0].index, "idx");
  EXPECT_EQ(s.legs[0].depth, 1000u);
  EXPECT_FLOAT_EQ(s.legs[0].bm25.params.k1, 0.9f);
  EXPECT_FLOAT_EQ(s.legs[0].bm25.params.b, 0.4f);
  EXPECT_EQ(s.legs[1].name, "dense");
  EXPECT_EQ(s.legs[1].index, "dense-idx");
  EXPECT_EQ(s.legs[1].depth, 200u);
  EXPECT_EQ(s.legs[1].method, DenseMethod::exact);
  EXPECT_EQ(s.fusion.method, FusionMethod::convex);
  EXPECT_EQ(s.fusion.normalizer, Normalizer::min_max);
  EXPECT_EQ(s.fusion.weights, (std::vector<double>{0.3, 0.7}));
  EXPECT_TRUE(s.filter.empty());
}

TEST(PipelineSpec, DefaultFusionAndNames) {
  auto s = parse_pipeline_spec(R"({"index": "i", "legs": [{"kind": "bm25"}]})", "p");
  EXPECT_EQ(s.fusion.method, FusionMethod::none);
  s = parse_pipeline_spec(
      R"({"index": "i", "legs": [{"kind": "bm25"}, {"kind": "bm25", "k1": 1.2}],
          "fusion": {"method": "rrf", "k": 10, "weights": {"bm25-2": 2}}})",
      "p");
  EXPECT_EQ(s.legs[1].name, "bm25-2");
  EXPECT_EQ(s.fusion.rrf_k, 10);
  EXPECT_EQ(s.fusion.weights, (std::vector<double>{1, 2}));
  s = parse_pipeline_spec(R"({"index": "i", "legs": [{"kind": "bm25"}, {"kind": "bm25"}]})", "p");
  EXPECT_EQ(s.fusion.method, FusionMethod::rrf);
  EXPECT_EQ(s.fusion.rrf_k, 60);
}

TEST(PipelineSpec, UnknownKeysNameTheirPath) {
  auto m = error_of(R"({"index": "i", "legs": [{"kind": "bm25"}], "fusoin": {}})");
  EXPECT_HAS(m, "p.json: fusoin: unknown key");
  m = error_of(R"({"index": "i", "legs": [{"kind": "bm25"}, {"kind": "bm25", "dept": 5}]})");
  EXPECT_HAS(m, "legs[1].dept: unknown key");
  EXPECT_HAS(m, "depth");  // the known keys are listed
  m = error_of(R"({"index": "i", "legs": [{"kind": "bm25"}, {"kind": "bm25"}],
                   "fusion": {"method": "rrf", "kk": 1}})");
  EXPECT_HAS(m, "fusion.kk: unknown key");
}

TEST(PipelineSpec, WrongTypesNameTheirPath) {
  auto m = error_of(R"({"index": "i", "legs": [{"kind": "bm25", "depth": "ten"}]})");
  EXPECT_HAS(m, "legs[0].depth: expected a non-negative integer, got a string \"ten\"");
  m = error_of(R"({"index": "i", "legs": [{"kind": "bm25", "k1": true}]})");
  EXPECT_HAS(m, "legs[0].k1: expected a number");
  m = error_of(R"({"index": 3, "legs": [{"kind": "bm25"}]})");
  EXPECT_HAS(m, "p.json: index: expected a string");
  m = error_of(R"({"index": "i", "legs": {"kind": "bm25"}})");
  EXPECT_HAS(m, "legs: expected an array of objects");
  m = error_of(R"({"index": "i", "legs": [{"kind": "bm25", "depth": 2.5}]})");
  EXPECT_HAS(m, "legs[0].depth");
  m = error_of(R"([1, 2])");
  EXPECT_HAS(m, "expected an object");
}

TEST(PipelineSpec, BadValues) {
  EXPECT_HAS(error_of(R"({"legs": [{"kind": "bm25"}]})"), "legs[0].index: missing");
  EXPECT_HAS(error_of(R"({"index": "i"})"), "legs: missing");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": []})"), "legs: missing");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "splade"}]})"),
             "legs[0].kind: unknown leg kind 'splade'");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "dense"}]})"), "legs[0].encoder");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "dense", "method": "ivf",
                          "encoder": "m"}]})"),
             "legs[0].method: unknown dense retriever 'ivf'");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25", "name": "x"},
                          {"kind": "bm25", "name": "x"}]})"),
             "legs[1].name: two legs are named 'x'");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}, {"kind": "bm25"},
                          {"kind": "bm25"}], "fusion": {"method": "convex", "alpha": 0.5}})"),
             "fusion.alpha: takes two legs");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}, {"kind": "bm25"}],
                          "fusion": {"method": "convex", "weights": {"nope": 1}}})"),
             "fusion.weights.nope: no leg is named 'nope'");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}, {"kind": "bm25"}],
                          "fusion": {"method": "rrf", "normalize": "l2"}})"),
             "fusion.normalize: only with method convex");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}, {"kind": "bm25"}],
                          "fusion": {"method": "convex", "bounds": {"bm25": [1, 0]}}})"),
             "fusion.bounds.bm25: expected [low, high]");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}],
                          "feedback": [{"kind": "nonesuch"}]})"),
             "feedback[0].kind: unknown feedback stage 'nonesuch'");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}], "k": 0})"), "k: must be");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}],)"), "p.json: not valid JSON");
  EXPECT_HAS(error_of(R"({"version": 2, "index": "i", "legs": [{"kind": "bm25"}]})",
                      ErrorKind::unsupported),
             "version 2 is newer");
}

TEST(PipelineSpec, FilterErrorsNameTheCondition) {
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}],
                          "filter": {"year": {"between": [1, 2]}}})"),
             "filter.year.between: unknown operator");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}],
                          "filter": {"year": {"in": []}}})"),
             "filter.year.in: expected a non-empty array");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}],
                          "filter": {"year": [2010]}})"),
             "filter.year: expected a value to match");
  EXPECT_HAS(error_of(R"({"index": "i", "legs": [{"kind": "bm25"}],
                          "filter": {"year": {"gte": true}}})"),
             "filter.year.gte: expected a number or a string");
}

}  // namespace
}  // namespace tandem::pipeline
