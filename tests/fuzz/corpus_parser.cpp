// Fuzz target: corpus lines (BEIR / Anserini JSONL) through the parser and the analyzer, in both
// field layouts. Bad input may only raise tandem::Error.
#include "tandem/index/corpus_parser.hpp"

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/text/analyzer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  static const auto analyzer = tandem::text::make_analyzer(tandem::text::AnalyzerConfig{});
  static tandem::index::CorpusParser flat(tandem::index::FieldLayout::flat);
  static tandem::index::CorpusParser multi(tandem::index::FieldLayout::multifield);
  tandem::text::TermList terms;
  for (auto* parser : {&flat, &multi}) {
    try {
      const auto& doc = parser->parse_copy(line);
      assert(!doc.id.empty());
      for (const auto field : doc.fields) analyzer->analyze(field, terms);
    } catch (const tandem::Error&) {
    }
  }
  return 0;
}
