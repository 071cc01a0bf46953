// Metadata filters: exact-match and range conditions on the fields of a document's stored JSON
// source (the corpus line kept in the doc store, index/doc_store.hpp).
//
// Syntax (docs/pipelines.md, "Filters"): an object of FIELD: CONDITION, all of which must hold.
//   "filter": {"year": {"gte": 2010, "lt": 2020}, "source": "pubmed",
//              "metadata.lang": {"in": ["en", "de"]}}
//  * FIELD is a key of the document's JSON object; dots descend into nested objects
//    ("metadata.year" is doc["metadata"]["year"]).
//  * A string, number or boolean CONDITION is an exact match: same type, same value (numbers
//    compare as doubles, strings bytewise).
//  * An object CONDITION holds operators, all of which must hold: "eq" (exact match), "in" (an
//    array of exact values), "gt", "gte", "lt", "lte" (numbers compare with numbers, strings
//    bytewise with strings; a value of the other type does not match).
//  * A document field holding an array matches when any element matches.
//  * A document without the field, or whose source is not a JSON object, does not match.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/pipeline/json_spec.hpp"

namespace tandem::pipeline {

class MetadataFilter {
 public:
  /// An empty filter (matches everything).
  MetadataFilter() = default;  // NOLINT(bugprone-exception-escape): a null json does not throw
  /// Reads a filter object; errors name the path of the bad condition.
  static MetadataFilter parse(SpecObject spec);

  bool empty() const { return conditions_.empty(); }
  /// Whether a parsed document satisfies every condition.
  bool matches(const nlohmann::json& document) const;
  /// The same for a document's stored source (text that does not parse matches nothing).
  bool matches_source(std::string_view source) const;
  /// The filter as given, for settings output.
  const nlohmann::json& spec() const { return spec_; }

 private:
  enum class Op { eq, in, gt, gte, lt, lte };
  struct Condition {
    std::vector<std::string> path;  // the field, split at dots
    Op op = Op::eq;
    nlohmann::json value;  // a scalar, or an array of scalars for `in`
  };
  static bool test(const Condition& c, const nlohmann::json& v);
  std::vector<Condition> conditions_;
  nlohmann::json spec_;
};

}  // namespace tandem::pipeline
