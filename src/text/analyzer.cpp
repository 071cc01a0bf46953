// The analysis chain: a tokenizer, then per term EnglishPossessiveFilter -> LowerCaseFilter ->
// StopFilter -> PorterStemFilter, each when the config asks for it (Anserini's
// DefaultEnglishAnalyzer order). The tokenizer is a template parameter, chosen once in
// make_analyzer; the filters are flags tested per term.
#include "tandem/text/analyzer.hpp"

#include <array>
#include <cstdint>
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

// The stems of recently seen short terms, one table per thread (an Analyzer is shared by threads
// and analyze() is const). Terms repeat (Zipf's law): with 4096 entries about 70% of the terms of
// SciFact are found here, and a lookup costs a few dozen instructions where stemming costs
// hundreds. Direct-mapped: a new term replaces the one in its slot. The result is exactly
// PorterStemmer::stem's.
class StemMemo {
 public:
  static constexpr std::size_t kMaxTerm = 16;

  // Stems `term` in place (as PorterStemmer::stem). Precondition: the buffer holds at least
  // kMaxTerm readable and writable bytes, whatever `length` is.
  std::size_t stem(char* term, std::size_t length) {
    if (length > kMaxTerm) return PorterStemmer::stem(term, length);
    std::uint64_t lo;
    std::uint64_t hi;
    std::memcpy(&lo, term, 8);
    std::memcpy(&hi, term + 8, 8);
    if (length < 8) {
      lo &= (std::uint64_t{1} << (8 * length)) - 1;
      hi = 0;
    } else if (length < 16) {
      hi &= (std::uint64_t{1} << (8 * (length - 8))) - 1;
    }
    const std::uint64_t h = (lo * 0x9E3779B97F4A7C15ull) ^ (hi * 0xC2B2AE3D27D4EB4Full) ^ length;
    Entry& e = entries_[(h ^ (h >> 29)) & (kEntries - 1)];
    if (e.length == length && e.lo == lo && e.hi == hi) {
      std::memcpy(term, e.stem, kMaxTerm);
      return e.stem_length;
    }
    const std::size_t stemmed = PorterStemmer::stem(term, length);
    e.lo = lo;
    e.hi = hi;
    std::memcpy(e.stem, term, kMaxTerm);
    e.length = static_cast<std::uint8_t>(length);
    e.stem_length = static_cast<std::uint8_t>(stemmed);
    return stemmed;
  }

  // This thread's table, allocated on first use (heap, not static TLS: the library may be loaded
  // into a Python process).
  static StemMemo& of_this_thread() {
    thread_local std::unique_ptr<StemMemo> memo = std::make_unique<StemMemo>();
    return *memo;
  }

 private:
  static constexpr std::size_t kEntries = 4096;
  struct Entry {
    std::uint64_t lo = 0;  // the term's bytes, zero-padded to 16
    std::uint64_t hi = 0;
    char stem[kMaxTerm] = {};
    std::uint8_t length = 0xFF;  // 0xFF: empty
    std::uint8_t stem_length = 0;
  };
  std::array<Entry, kEntries> entries_;
};

static_assert(StemMemo::kMaxTerm <= 2048, "TermScratch's inline buffer must hold a memo entry");

// The token filters of a chain.
class TermFilters {
 public:
  explicit TermFilters(const AnalyzerConfig& config)
      : stopwords_(config.stopwords),
        possessive_(config.possessive),
        lowercase_(config.lowercase),
        porter_(config.stemmer == AnalyzerConfig::Stemmer::porter),
        pass_through_(!possessive_ && !lowercase_ && stopwords_.empty() && !porter_) {}

  // Filters one token and appends the resulting term, if any, to `out`.
  void apply(std::string_view term, TermScratch& scratch, TermList& out) const {
    if (pass_through_) {
      if (!term.empty()) out.push_back(term);
      return;
    }
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
      // Every scratch buffer has at least StemMemo::kMaxTerm bytes (the inline one has 2048).
      term = std::string_view(buffer, StemMemo::of_this_thread().stem(buffer, term.size()));
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
  bool pass_through_;  // no filter at all (the whitespace preset)
};

class StandardChain final : public Analyzer {
 public:
  explicit StandardChain(AnalyzerConfig config)
      : config_(std::move(config)), tokenizer_(config_.max_token_length), filters_(config_) {}

  void analyze(std::string_view text, TermList& out) const override {
    TermScratch scratch;
    tokenizer_.tokenize(text,
                        [&](const Token& token) { filters_.apply(token.text, scratch, out); });
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
