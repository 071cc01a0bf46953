// Fuzz target for the text layer: the analyzers (english, english-nostem, whitespace) on arbitrary
// bytes, and the parsers of outside text around them (record lines, analyzer config JSON).
// Invariants: no empty term, every term well-formed UTF-8, no term longer than the tokenizer's
// limit (255 UTF-16 units; 256 for the whitespace tokenizer, whose CharTokenizer may overshoot by
// one supplementary character), standard tokens are in-order views of the input that never hold a
// space, analysis is deterministic, and stemming never lengthens a term.
#include "tandem/text/analyzer.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/text/porter_stemmer.hpp"
#include "tandem/text/record_parser.hpp"
#include "tandem/text/standard_tokenizer.hpp"
#include "tandem/text/utf8.hpp"

namespace {

using namespace tandem::text;

void check(bool ok) {
  if (!ok) std::abort();
}

void check_terms(const Analyzer& analyzer, std::string_view text, std::size_t max_units) {
  TermList terms;
  analyzer.analyze(text, terms);
  TermList again;
  analyzer.analyze(text, again);
  check(terms.size() == again.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const std::string_view t = terms[i];
    check(!t.empty());
    check(is_valid_utf8(t));
    check(utf16_length(t) <= max_units);
    check(t == again[i]);
    std::string copy(t);
    check(PorterStemmer::stem(copy.data(), copy.size()) <= t.size());
  }
}

void check_tokens(std::string_view text) {
  static const StandardTokenizer tokenizer;
  const char* last_end = text.data();
  tokenizer.tokenize(text, [&](const Token& token) {
    check(token.text.data() >= last_end &&
          token.text.data() + token.text.size() <= text.data() + text.size());
    check(!token.text.empty() && token.text.find(' ') == std::string_view::npos);
    check(is_valid_utf8(token.text));
    check(utf16_length(token.text) <= StandardTokenizer::kDefaultMaxTokenLength);
    last_end = token.text.data() + token.text.size();
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto english = make_analyzer(AnalyzerConfig::preset("english"));
  static const auto nostem = make_analyzer(AnalyzerConfig::preset("english-nostem"));
  static const auto whitespace = make_analyzer(AnalyzerConfig::preset("whitespace"));
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  check_tokens(text);
  check_terms(*english, text, 255);
  check_terms(*nostem, text, 255);
  check_terms(*whitespace, text, 256);

  RecordParser parser;
  TextRecord record;
  try {
    parser.parse_json(text, record);
    check(is_valid_utf8(record.id) && is_valid_utf8(record.text));
  } catch (const tandem::Error&) {
  }
  try {
    parser.parse_topic(text, record);
    check(is_valid_utf8(record.id) && is_valid_utf8(record.text));
  } catch (const tandem::Error&) {
  }
  try {
    const AnalyzerConfig config = AnalyzerConfig::from_json(text);
    check(AnalyzerConfig::from_json(config.to_json()) == config);
  } catch (const tandem::Error&) {
  }
  return 0;
}
