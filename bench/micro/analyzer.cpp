// Analyzer throughput, single-threaded: the English chain (Lucene 8.8 / Anserini terms), the same
// without stemming, the whitespace analyzer, and the StandardTokenizer alone.
//
// Data: SciFact's 5,183 abstracts (data/scifact/corpus.jsonl.gz, title + " " + text as Anserini
// joins them, 7.8 MB of UTF-8), read once before timing. Override with TANDEM_BENCH_CORPUS=FILE
// (any JSONL corpus). Run:
//   cmake --preset bench && cmake --build build/bench --target bench_analyzer
//   build/bench/bench/bench_analyzer
// Reports bytes/s (input UTF-8) and tokens/s (terms produced, or tokens for the tokenizer alone).
// bench/macro/lucene_analyzer_bench.sh measures Lucene on the same corpus for comparison.
#include "tandem/text/analyzer.hpp"

#include <cstdlib>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tandem/io/line_reader.hpp"
#include "tandem/text/porter_stemmer.hpp"
#include "tandem/text/record_parser.hpp"
#include "tandem/text/standard_tokenizer.hpp"

namespace {

using namespace tandem;

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> texts = [] {
    const char* env = std::getenv("TANDEM_BENCH_CORPUS");
    const std::string path =
        env != nullptr ? env : std::string(TANDEM_SOURCE_DIR) + "/data/scifact/corpus.jsonl.gz";
    std::vector<std::string> out;
    io::LineReader reader(path);
    text::RecordParser parser;
    text::TextRecord record;
    std::string_view line;
    while (reader.next(line)) {
      if (text::is_blank_line(line)) continue;
      parser.parse_json(line, record);
      out.push_back(record.text);
    }
    return out;
  }();
  return texts;
}

std::size_t corpus_bytes() {
  std::size_t n = 0;
  for (const auto& t : corpus()) n += t.size();
  return n;
}

void analyze(benchmark::State& state, const char* preset) {
  const auto analyzer = text::make_analyzer(text::AnalyzerConfig::preset(preset));
  const auto& texts = corpus();
  text::TermList terms;
  std::size_t produced = 0;
  for (auto _ : state) {
    for (const std::string& t : texts) {
      terms.clear();
      analyzer->analyze(t, terms);
      produced += terms.size();
    }
    benchmark::DoNotOptimize(terms);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_bytes()));
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(produced), benchmark::Counter::kIsRate);
}

void BM_Analyze_English(benchmark::State& state) {
  analyze(state, "english");
}
void BM_Analyze_EnglishNoStem(benchmark::State& state) {
  analyze(state, "english-nostem");
}
void BM_Analyze_Whitespace(benchmark::State& state) {
  analyze(state, "whitespace");
}

void BM_StandardTokenizer(benchmark::State& state) {
  const text::StandardTokenizer tokenizer;
  const auto& texts = corpus();
  std::size_t tokens = 0;
  for (auto _ : state) {
    for (const std::string& t : texts) {
      tokenizer.tokenize(t, [&](const text::Token& token) {
        benchmark::DoNotOptimize(token.text.data());
        ++tokens;
      });
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_bytes()));
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}

// The Porter stemmer alone, on the lower-cased, stop-filtered terms of the corpus.
void BM_PorterStemmer(benchmark::State& state) {
  const auto analyzer = text::make_analyzer(text::AnalyzerConfig::preset("english-nostem"));
  std::vector<std::string> words;
  text::TermList terms;
  for (const std::string& t : corpus()) {
    terms.clear();
    analyzer->analyze(t, terms);
    for (std::size_t i = 0; i < terms.size(); ++i) words.emplace_back(terms[i]);
  }
  std::string buffer;
  std::size_t bytes = 0;
  for (const auto& w : words) bytes += w.size();
  for (auto _ : state) {
    for (const std::string& w : words) {
      buffer.assign(w);
      benchmark::DoNotOptimize(text::PorterStemmer::stem(buffer.data(), buffer.size()));
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["terms/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * words.size()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_Analyze_English)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Analyze_EnglishNoStem)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Analyze_Whitespace)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StandardTokenizer)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PorterStemmer)->Unit(benchmark::kMillisecond);

}  // namespace
