// Acceptance test of the text layer: for every collection and topics file in ../shared/data (and
// two generated files that reach what real text rarely does), our analyzers must produce exactly
// the terms of Lucene 8.8 (the peer's Analyze tool, Anserini's English chain), record by record and
// term by term.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "tandem/io/line_reader.hpp"
#include "tandem/text/analyzer.hpp"
#include "tandem/text/record_parser.hpp"

#include "generated_inputs.hpp"
#include "lucene_peer.hpp"
#include "test_support.hpp"

namespace tandem::test {
namespace {

namespace fs = std::filesystem;

enum class Format { jsonl, tsv };

struct Input {
  std::string name;  // test name part
  std::string path;  // under ../shared/data, or "generated:<which>", or "repo:<path>"
  Format format;
};

// For gtest's messages: the input's name, not its bytes.
void PrintTo(const Input& input, std::ostream* os) {
  *os << input.name;
}

const std::vector<Input>& inputs() {
  static const std::vector<Input> kInputs = {
      {"scifact_corpus", "scifact/corpus.jsonl", Format::jsonl},
      {"scifact_queries", "scifact/queries.jsonl", Format::jsonl},
      {"scifact_topics", "scifact/anserini/topics.beir-v1.0.0-scifact.test.tsv.gz", Format::tsv},
      {"scifact_topics_wp", "scifact/anserini/topics.beir-v1.0.0-scifact.test.wp.tsv.gz",
       Format::tsv},
      {"nfcorpus_corpus", "nfcorpus/corpus.jsonl", Format::jsonl},
      {"nfcorpus_queries", "nfcorpus/queries.jsonl", Format::jsonl},
      {"nfcorpus_topics", "nfcorpus/anserini/topics.beir-v1.0.0-nfcorpus.test.tsv.gz", Format::tsv},
      {"nfcorpus_topics_wp", "nfcorpus/anserini/topics.beir-v1.0.0-nfcorpus.test.wp.tsv.gz",
       Format::tsv},
      {"nfcorpus_original_docs", "nfcorpus/original-test-split/test.docs", Format::tsv},
      {"nfcorpus_original_all", "nfcorpus/original-test-split/test.all.queries", Format::tsv},
      {"nfcorpus_original_titles", "nfcorpus/original-test-split/test.titles.queries", Format::tsv},
      {"nfcorpus_original_nontopictitles",
       "nfcorpus/original-test-split/test.nontopictitles.queries", Format::tsv},
      {"nfcorpus_original_viddesc", "nfcorpus/original-test-split/test.viddesc.queries",
       Format::tsv},
      {"nfcorpus_original_vidtitles", "nfcorpus/original-test-split/test.vidtitles.queries",
       Format::tsv},
      {"cranfield_corpus", "cranfield/corpus.jsonl", Format::jsonl},
      {"cranfield_queries", "cranfield/queries.jsonl", Format::jsonl},
      {"npl_corpus", "npl/corpus.jsonl", Format::jsonl},
      {"npl_queries", "npl/queries.jsonl", Format::jsonl},
      {"adi_corpus", "adi/corpus.jsonl", Format::jsonl},
      {"adi_queries", "adi/queries.jsonl", Format::jsonl},
      {"msmarco_dl19", "msmarco-passage-topics-qrels/topics.dl19-passage.txt", Format::tsv},
      {"msmarco_dl20", "msmarco-passage-topics-qrels/topics.dl20.txt", Format::tsv},
      {"msmarco_dev", "msmarco-passage-topics-qrels/topics.msmarco-passage.dev-subset.txt",
       Format::tsv},
      {"msmarco_dl19_wp", "msmarco-passage-topics-qrels/topics.dl19-passage.wp.tsv.gz",
       Format::tsv},
      {"msmarco_dl20_wp", "msmarco-passage-topics-qrels/topics.dl20.wp.tsv.gz", Format::tsv},
      {"msmarco_dev_wp", "msmarco-passage-topics-qrels/topics.msmarco-passage.dev-subset.wp.tsv.gz",
       Format::tsv},
      {"msmarco_dev_deepimpact",
       "msmarco-passage-topics-qrels/topics.msmarco-passage.dev-subset.deepimpact.tsv.gz",
       Format::tsv},
      {"repo_scifact_corpus", "repo:data/scifact/corpus.jsonl.gz", Format::jsonl},
      {"repo_scifact_queries", "repo:data/scifact/queries.test.tsv", Format::tsv},
      {"generated_unicode_sweep", "generated:unicode_sweep", Format::tsv},
      {"generated_random_stress", "generated:random_stress", Format::tsv},
  };
  return kInputs;
}

// Writes `content` to <cache>/generated/<name> unless it is already there (same content: the
// generators are deterministic), so that the peer's cached output stays valid.
fs::path generated(const std::string& name, const std::string& (*make)()) {
  const fs::path dir = LucenePeer::cache_dir() / "generated";
  fs::create_directories(dir);
  const fs::path file = dir / name;
  if (!fs::exists(file)) {
    const fs::path tmp =
        file.string() + ".tmp." + std::to_string(::getpid());  // tests may run in parallel
    write_file(tmp, make());
    fs::rename(tmp, file);
  }
  return file;
}

const std::string& sweep_content() {
  static const std::string s = unicode_sweep_topics();
  return s;
}
const std::string& stress_content() {
  static const std::string s = random_stress_topics(40000);
  return s;
}

// The file to read for an input: shared data as is, gzipped TSV decompressed (the peer reads
// .gz only as JSONL), generated files written once. nullopt if it does not exist here.
std::optional<fs::path> locate(const Input& input, const fs::path& shared) {
  if (input.path == "generated:unicode_sweep")
    return generated("unicode_sweep.v1.tsv", sweep_content);
  if (input.path == "generated:random_stress")
    return generated("random_stress.v1.tsv", stress_content);
  fs::path file = input.path.starts_with("repo:") ? source_dir() / input.path.substr(5)
                                                  : shared / "data" / input.path;
  if (!fs::exists(file)) return std::nullopt;
  if (input.format == Format::tsv && file.extension() == ".gz") {
    const fs::path plain = LucenePeer::cache_dir() / "generated" / (input.name + ".tsv");
    if (!fs::exists(plain)) {
      fs::create_directories(plain.parent_path());
      const std::string tmp = plain.string() + ".tmp." + std::to_string(::getpid());
      std::ofstream out(tmp, std::ios::binary);
      io::LineReader reader(file);
      std::string_view line;
      while (reader.next(line)) out << line << '\n';
      out.close();
      fs::rename(tmp, plain);
    }
    file = plain;
  }
  return file;
}

struct Analyzed {
  std::string id;
  std::string terms;  // joined by single spaces, as Analyze writes them
};

// Our side: records read as the peer reads them, analysed, terms joined.
std::vector<Analyzed> ours(const fs::path& file, Format format, const text::Analyzer& analyzer) {
  std::vector<Analyzed> out;
  text::RecordParser parser;
  text::TextRecord record;
  text::TermList terms;
  io::LineReader reader(file);
  std::string_view line;
  while (reader.next(line)) {
    if (text::is_blank_line(line)) continue;
    if (format == Format::jsonl) {
      parser.parse_json(line, record);
    } else {
      parser.parse_topic(line, record);
    }
    terms.clear();
    analyzer.analyze(record.text, terms);
    Analyzed a{record.id, {}};
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if (i > 0) a.terms += ' ';
      a.terms += terms[i];
    }
    out.push_back(std::move(a));
  }
  return out;
}

// Lucene's side: the Analyze output ({"id","contents"} lines, or id<TAB>terms).
std::vector<Analyzed> theirs(const fs::path& output, Format format) {
  std::vector<Analyzed> out;
  text::RecordParser parser;
  text::TextRecord record;
  io::LineReader reader(output);
  std::string_view line;
  while (reader.next(line)) {
    if (format == Format::jsonl) {
      parser.parse_json(line, record);
    } else {
      // Not parse_topic: the id may have been trimmed and the terms may begin with blanks.
      const std::size_t tab = line.find('\t');
      record.id = std::string(line.substr(0, tab));
      record.text =
          tab == std::string_view::npos ? std::string() : std::string(line.substr(tab + 1));
    }
    out.push_back({record.id, record.text});
  }
  return out;
}

std::size_t count_terms(const std::string& joined) {
  if (joined.empty()) return 0;
  std::size_t n = 1;
  for (char c : joined) n += c == ' ' ? 1 : 0;
  return n;
}

std::string show(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\x{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out.size() > 600 ? out.substr(0, 600) + "..." : out;
}

class AnalyzerCompat : public ::testing::TestWithParam<std::tuple<Input, std::string>> {};

TEST_P(AnalyzerCompat, TermsEqualLucene) {
  const auto& [input, analyzer_name] = GetParam();
  if (const auto problem = LucenePeer::unavailable()) {
    if (!shared_dir()) GTEST_SKIP() << *problem;
    FAIL() << "cannot run the Lucene peer: " << *problem;
  }
  const auto file = locate(input, *shared_dir());
  if (!file) GTEST_SKIP() << input.path << " is not in ../shared/data here";

  const fs::path lucene_output =
      LucenePeer::analyze(*file, analyzer_name, input.format == Format::tsv);
  const auto expected = theirs(lucene_output, input.format);
  const auto analyzer = text::make_analyzer(text::AnalyzerConfig::preset(analyzer_name));
  const auto actual = ours(*file, input.format, *analyzer);

  ASSERT_EQ(actual.size(), expected.size()) << "record counts differ for " << *file;
  std::size_t differing = 0;
  std::size_t terms = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    terms += count_terms(expected[i].terms);
    if (actual[i].id == expected[i].id && actual[i].terms == expected[i].terms) continue;
    if (++differing <= 5) {
      ADD_FAILURE() << "record " << i + 1 << " differs (" << *file << ", analyzer " << analyzer_name
                    << ")\n"
                    << "  lucene: id=" << show(expected[i].id) << " terms=["
                    << show(expected[i].terms) << "]\n"
                    << "  ours:   id=" << show(actual[i].id) << " terms=[" << show(actual[i].terms)
                    << "]";
    }
  }
  EXPECT_EQ(differing, 0u) << differing << " of " << actual.size() << " records differ";
  std::cout << "[compat] " << input.name << " " << analyzer_name << ": " << actual.size()
            << " records, " << terms << " terms compared, " << differing << " records differ\n";
  RecordProperty("records", static_cast<int>(actual.size()));
  RecordProperty("terms", static_cast<int>(terms));
}

std::string test_name(const ::testing::TestParamInfo<AnalyzerCompat::ParamType>& info) {
  std::string analyzer = std::get<1>(info.param);
  for (char& c : analyzer) {
    if (c == '-') c = '_';
  }
  return std::get<0>(info.param).name + "_" + analyzer;
}

INSTANTIATE_TEST_SUITE_P(Text, AnalyzerCompat,
                         ::testing::Combine(::testing::ValuesIn(inputs()),
                                            ::testing::Values("english", "english-nostem")),
                         test_name);

// The whitespace analyzer (Lucene's WhitespaceAnalyzer, Anserini's -pretokenized) on the inputs
// where it has something to get wrong.
INSTANTIATE_TEST_SUITE_P(
    Whitespace, AnalyzerCompat,
    ::testing::Combine(
        ::testing::Values(Input{"generated_random_stress", "generated:random_stress", Format::tsv},
                          Input{"msmarco_dev_wp",
                                "msmarco-passage-topics-qrels/"
                                "topics.msmarco-passage.dev-subset.wp.tsv.gz",
                                Format::tsv},
                          Input{"scifact_corpus", "scifact/corpus.jsonl", Format::jsonl}),
        ::testing::Values("whitespace")),
    test_name);

}  // namespace
}  // namespace tandem::test
