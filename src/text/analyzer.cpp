// The analysis chain: a tokenizer, then per term EnglishPossessiveFilter -> LowerCaseFilter ->
// StopFilter -> PorterStemFilter, each when the config asks for it (Anserini's
// DefaultEnglishAnalyzer order). The tokenizer is a template parameter, chosen once in
// make_analyzer; the filters are flags tested per term.
#include "tandem/text/analyzer.hpp"

#include <array>
#include <cstring>

#include "tandem/core/error.hpp"
#include "tandem/text/english_possessive.hpp"
#include "tandem/text/lower_case.hpp"
#include "tandem/text/porter_stemmer.hpp"
#include "tandem/text/standard_tokenizer.hpp"
#include "tandem/text/stop_set.hpp"
#include "tandem/text/whitespace_tokenizer.hpp"

namespace tandem::text {

namespace {

// Room for one term being rewritten: on the stack, on the heap only for very long terms.
class TermScratch {
 public:
  char* reserve(std::size_t size) {
    if (size <= inline_.size()) return inline_.data();
    heap_.resize(size);
    return heap_.data();
  }

 private:
  std::array<char, 2048> inline_;
  std::string heap_;
};

// The token filters of a chain.
class TermFilters {
 public:
  explicit TermFilters(const AnalyzerConfig& config)
      : stopwords_(config.stopwords),
        possessive_(config.possessive),
        lowercase_(config.lowercase),
        porter_(config.stemmer == AnalyzerConfig::Stemmer::porter) {}

  // Filters one token and appends the resulting term, if any, to `out`.
  void apply(std::string_view term, TermScratch& scratch, TermList& out) const {
    if (possessive_) term = strip_english_possessive(term);
    char* buffer = nullptr;
    if (lowercase_) {
      buffer = scratch.reserve(lower_case_capacity(term.size()));
      term = std::string_view(buffer, lower_case_utf8(term, buffer));
    }
    if (stopwords_.contains(term)) return;
    if (porter_) {
      if (buffer == nullptr) {
        buffer = scratch.reserve(term.size());
        std::memcpy(buffer, term.data(), term.size());
      }
      term = std::string_view(buffer, PorterStemmer::stem(buffer, term.size()));
    }
    // Lucene would index an empty term (whitespace tokenizer + possessive filter on "'s"); an
    // empty term cannot be searched, so we drop it.
    if (!term.empty()) out.push_back(term);
  }

 private:
  StopSet stopwords_;
  bool possessive_;
  bool lowercase_;
  bool porter_;
};

class StandardChain final : public Analyzer {
 public:
  explicit StandardChain(AnalyzerConfig config)
      : config_(std::move(config)), tokenizer_(config_.max_token_length), filters_(config_) {}

  void analyze(std::string_view text, TermList& out) const override {
    TermScratch scratch;
    std::size_t pos = 0;
    Token token;
    while (tokenizer_.next(text, pos, token)) filters_.apply(token.text, scratch, out);
  }
  const AnalyzerConfig& config() const override { return config_; }

 private:
  AnalyzerConfig config_;
  StandardTokenizer tokenizer_;
  TermFilters filters_;
};

class WhitespaceChain final : public Analyzer {
 public:
  explicit WhitespaceChain(AnalyzerConfig config)
      : config_(std::move(config)), tokenizer_(config_.max_token_length), filters_(config_) {}

  void analyze(std::string_view text, TermList& out) const override {
    TermScratch scratch;
    std::string sanitized;  // used only for tokens with malformed UTF-8
    std::size_t pos = 0;
    std::string_view token;
    while (tokenizer_.next(text, pos, token, sanitized)) filters_.apply(token, scratch, out);
  }
  const AnalyzerConfig& config() const override { return config_; }

 private:
  AnalyzerConfig config_;
  WhitespaceTokenizer tokenizer_;
  TermFilters filters_;
};

}  // namespace

std::unique_ptr<Analyzer> make_analyzer(const AnalyzerConfig& config) {
  switch (config.tokenizer) {
    case AnalyzerConfig::Tokenizer::standard:
      return std::make_unique<StandardChain>(config);
    case AnalyzerConfig::Tokenizer::whitespace:
      return std::make_unique<WhitespaceChain>(config);
  }
  fail(ErrorKind::invalid_argument, "analyzer config names an unknown tokenizer");
}

}  // namespace tandem::text
