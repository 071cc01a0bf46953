// Metadata filters on stored JSON documents.
#include "tandem/pipeline/metadata_filter.hpp"

#include <gtest/gtest.h>

namespace tandem::pipeline {
namespace {

MetadataFilter filter(const std::string& text) {
  static std::vector<nlohmann::json> keep;  // SpecObject points into the JSON while parsing
  keep.push_back(nlohmann::json::parse(text));
  return MetadataFilter::parse(SpecObject(keep.back(), "filter", "test"));
}

const char* kDoc =
    R"({"_id": "d1", "year": 2015, "source": "pubmed", "tags": ["covid", "trial"],
        "metadata": {"lang": "en", "pages": 12}, "open": true})";

TEST(MetadataFilter, ExactMatches) {
  EXPECT_TRUE(filter(R"({"source": "pubmed"})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"source": "PubMed"})").matches_source(kDoc));
  EXPECT_TRUE(filter(R"({"year": 2015})").matches_source(kDoc));
  EXPECT_TRUE(filter(R"({"year": 2015.0})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"year": "2015"})").matches_source(kDoc));  // types must agree
  EXPECT_TRUE(filter(R"({"open": true})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"open": false})").matches_source(kDoc));
  EXPECT_TRUE(filter(R"({"metadata.lang": "en"})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"metadata.lang.x": "en"})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"missing": "en"})").matches_source(kDoc));
  EXPECT_TRUE(filter(R"({"source": {"in": ["arxiv", "pubmed"]}})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"source": {"in": ["arxiv"]}})").matches_source(kDoc));
}

TEST(MetadataFilter, RangesAndConjunction) {
  EXPECT_TRUE(filter(R"({"year": {"gte": 2015}})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"year": {"gt": 2015}})").matches_source(kDoc));
  EXPECT_TRUE(filter(R"({"year": {"gt": 2010, "lt": 2020}})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"year": {"gt": 2010, "lt": 2015}})").matches_source(kDoc));
  EXPECT_TRUE(filter(R"({"year": {"lte": 2015}})").matches_source(kDoc));
  EXPECT_TRUE(filter(R"({"metadata.pages": {"lt": 12.5}})").matches_source(kDoc));
  EXPECT_TRUE(filter(R"({"source": {"gte": "p", "lt": "q"}})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"source": {"gte": 1}})").matches_source(kDoc));  // string vs number
  EXPECT_TRUE(filter(R"({"year": {"gte": 2010}, "source": "pubmed"})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"year": {"gte": 2010}, "source": "arxiv"})").matches_source(kDoc));
}

TEST(MetadataFilter, ArraysMatchAnyElement) {
  EXPECT_TRUE(filter(R"({"tags": "trial"})").matches_source(kDoc));
  EXPECT_FALSE(filter(R"({"tags": "cohort"})").matches_source(kDoc));
  EXPECT_TRUE(filter(R"({"tags": {"in": ["cohort", "covid"]}})").matches_source(kDoc));
}

TEST(MetadataFilter, UnparsableOrNonObjectSourcesMatchNothing) {
  const auto f = filter(R"({"year": 2015})");
  EXPECT_FALSE(f.matches_source("not json"));
  EXPECT_FALSE(f.matches_source("[2015]"));
  EXPECT_FALSE(f.matches_source(""));
  EXPECT_TRUE(MetadataFilter().matches_source("not json"));  // no filter: everything passes
}

}  // namespace
}  // namespace tandem::pipeline
