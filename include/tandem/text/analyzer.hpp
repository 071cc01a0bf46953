// Text analysis: turns UTF-8 text into the terms that are indexed and searched.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::text {

/// The terms of one text, stored contiguously so that analysing allocates nothing once warm.
/// term(i) views stay valid until the next clear() or append.
class TermList {
 public:
  void clear() {
    chars_.clear();
    ends_.clear();
  }
  void push_back(std::string_view term) {
    chars_.append(term);
    ends_.push_back(static_cast<std::uint32_t>(chars_.size()));
  }
  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view operator[](std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(chars_).substr(begin, ends_[i] - begin);
  }
  /// Removes the last term (for filters that drop a term after it was emitted).
  void pop_back() {
    ends_.pop_back();
    chars_.resize(ends_.empty() ? 0 : ends_.back());
  }

 private:
  std::string chars_;
  std::vector<std::uint32_t> ends_;
};

/// Settings of an analysis chain. Stored in an index's manifest so queries are analysed the way
/// the documents were. The defaults are Anserini's DefaultEnglishAnalyzer (= Lucene 8's
/// EnglishAnalyzer): StandardTokenizer -> EnglishPossessiveFilter -> LowerCaseFilter ->
/// StopFilter(Lucene's 33 English stop words) -> PorterStemFilter.
struct AnalyzerConfig {
  enum class Tokenizer { standard, whitespace };
  enum class Stemmer { none, porter };

  Tokenizer tokenizer = Tokenizer::standard;
  bool possessive = true;  // strip a trailing 's / ’s / ＇s
  bool lowercase = true;
  /// Stop words, compared after lower-casing. Default: Lucene's ENGLISH_STOP_WORDS_SET.
  std::vector<std::string> stopwords = lucene_english_stopwords();
  Stemmer stemmer = Stemmer::porter;
  /// Lucene's StandardTokenizer maxTokenLength (in UTF-16 code units, as Lucene counts).
  std::uint32_t max_token_length = 255;

  static std::vector<std::string> lucene_english_stopwords();

  /// Named presets: "english" (the default above), "english-nostem", "whitespace" (split on
  /// whitespace only, nothing else: Anserini's -pretokenized / Lucene's WhitespaceAnalyzer).
  /// Throws Error(invalid_argument) for an unknown name, listing the known ones.
  static AnalyzerConfig preset(std::string_view name);

  /// JSON round trip (for the manifest); from_json throws Error(invalid_argument) on unknown
  /// fields or values, naming them.
  std::string to_json() const;
  static AnalyzerConfig from_json(std::string_view json);

  friend bool operator==(const AnalyzerConfig&, const AnalyzerConfig&) = default;
};

/// An analysis chain. analyze() is const and thread-safe: many threads may share one Analyzer.
class Analyzer {
 public:
  virtual ~Analyzer() = default;
  /// Appends the terms of `text` (UTF-8; invalid sequences are treated as U+FFFD) to `out`.
  virtual void analyze(std::string_view text, TermList& out) const = 0;
  virtual const AnalyzerConfig& config() const = 0;
};

std::unique_ptr<Analyzer> make_analyzer(const AnalyzerConfig& config);

}  // namespace tandem::text
