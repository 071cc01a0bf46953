// AnalyzerConfig: presets and the JSON form stored in an index's manifest.
#include <string>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/text/analyzer.hpp"
#include "tandem/text/standard_tokenizer.hpp"

namespace tandem::text {

namespace {

constexpr std::string_view kPresetNames = "english, english-nostem, whitespace";
constexpr std::string_view kKnownFields =
    "preset, tokenizer, possessive, lowercase, stopwords, stemmer, max_token_length";

std::string_view to_string(AnalyzerConfig::Tokenizer t) {
  return t == AnalyzerConfig::Tokenizer::standard ? "standard" : "whitespace";
}
std::string_view to_string(AnalyzerConfig::Stemmer s) {
  return s == AnalyzerConfig::Stemmer::porter ? "porter" : "none";
}

[[noreturn]] void bad_field(std::string_view field, std::string_view expected,
                            const nlohmann::json& value) {
  fail(ErrorKind::invalid_argument, "analyzer config: field '{}' must be {}, not {}", field,
       expected, value.dump());
}

bool get_bool(const nlohmann::json& value, std::string_view field) {
  if (!value.is_boolean()) bad_field(field, "true or false", value);
  return value.get<bool>();
}

std::string get_string(const nlohmann::json& value, std::string_view field,
                       std::string_view expected) {
  if (!value.is_string()) bad_field(field, expected, value);
  return value.get<std::string>();
}

}  // namespace

std::vector<std::string> AnalyzerConfig::lucene_english_stopwords() {
  // Lucene 8's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (= StopAnalyzer's former
  // ENGLISH_STOP_WORDS_SET).
  return {"a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
          "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
          "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with"};
}

AnalyzerConfig AnalyzerConfig::preset(std::string_view name) {
  AnalyzerConfig c;
  if (name == "english") return c;
  if (name == "english-nostem") {
    c.stemmer = Stemmer::none;
    return c;
  }
  if (name == "whitespace") {
    c.tokenizer = Tokenizer::whitespace;
    c.possessive = false;
    c.lowercase = false;
    c.stopwords.clear();
    c.stemmer = Stemmer::none;
    return c;
  }
  fail(ErrorKind::invalid_argument, "unknown analyzer '{}'; known analyzers: {}", name,
       kPresetNames);
}

std::string AnalyzerConfig::to_json() const {
  nlohmann::ordered_json j;
  j["tokenizer"] = to_string(tokenizer);
  j["possessive"] = possessive;
  j["lowercase"] = lowercase;
  j["stopwords"] = stopwords;
  j["stemmer"] = to_string(stemmer);
  j["max_token_length"] = max_token_length;
  return j.dump();
}

AnalyzerConfig AnalyzerConfig::from_json(std::string_view json) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorKind::invalid_argument, "analyzer config is not valid JSON: {}", e.what());
  }
  if (!j.is_object())
    fail(ErrorKind::invalid_argument, "analyzer config must be a JSON object, not {}", j.dump());

  // Fields not given come from the preset named by "preset" (default "english").
  AnalyzerConfig c;
  if (const auto it = j.find("preset"); it != j.end()) {
    c = preset(get_string(*it, "preset", std::string("one of ") + std::string(kPresetNames)));
  }
  for (const auto& [field, value] : j.items()) {
    if (field == "preset") continue;
    if (field == "tokenizer") {
      const std::string t = get_string(value, field, "\"standard\" or \"whitespace\"");
      if (t == "standard") {
        c.tokenizer = Tokenizer::standard;
      } else if (t == "whitespace") {
        c.tokenizer = Tokenizer::whitespace;
      } else {
        bad_field(field, "\"standard\" or \"whitespace\"", value);
      }
    } else if (field == "possessive") {
      c.possessive = get_bool(value, field);
    } else if (field == "lowercase") {
      c.lowercase = get_bool(value, field);
    } else if (field == "stopwords") {
      if (!value.is_array()) bad_field(field, "an array of strings", value);
      c.stopwords.clear();
      for (const auto& w : value)
        c.stopwords.push_back(get_string(w, "stopwords", "an array of strings"));
    } else if (field == "stemmer") {
      const std::string s = get_string(value, field, "\"porter\" or \"none\"");
      if (s == "porter") {
        c.stemmer = Stemmer::porter;
      } else if (s == "none") {
        c.stemmer = Stemmer::none;
      } else {
        bad_field(field, "\"porter\" or \"none\"", value);
      }
    } else if (field == "max_token_length") {
      if (!value.is_number_unsigned() || value.get<std::uint64_t>() < 1 ||
          value.get<std::uint64_t>() > StandardTokenizer::kMaxTokenLengthLimit) {
        bad_field(field,
                  fmt::format("an integer from 1 to {}", StandardTokenizer::kMaxTokenLengthLimit),
                  value);
      }
      c.max_token_length = value.get<std::uint32_t>();
    } else {
      fail(ErrorKind::invalid_argument, "analyzer config: unknown field '{}'; known fields: {}",
           field, kKnownFields);
    }
  }
  return c;
}

}  // namespace tandem::text
