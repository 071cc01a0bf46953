// `tandem analyze`: prints the terms an analyzer makes of some text, one line per input record.
// These are the terms indexing and search use; with the default analyzer they are Lucene 8.8's
// (Anserini's) terms, so the output can be compared with, or fed instead of, Anserini's.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "tandem/core/error.hpp"
#include "tandem/io/line_reader.hpp"
#include "tandem/text/analyzer.hpp"
#include "tandem/text/record_parser.hpp"

#include "commands.hpp"

namespace tandem::cli {

namespace {

struct AnalyzeOptions {
  std::string analyzer = "english";
  std::string config_json;
  std::vector<std::string> texts;
  std::string input;
  std::string input_format = "auto";
  std::string format = "terms";
  bool show_config = false;
};

enum class InputFormat { text, tsv, jsonl };

enum class OutputFormat { terms, tsv, jsonl };

// Writes records in the chosen output format through a large buffer.
class Printer {
 public:
  explicit Printer(const std::string& format)
      : format_(format == "tsv"     ? OutputFormat::tsv
                : format == "jsonl" ? OutputFormat::jsonl
                                    : OutputFormat::terms) {}
  ~Printer() { flush(); }
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;

  void record(std::string_view id, const text::TermList& terms) {
    joined_.clear();
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if (i > 0) joined_ += ' ';
      joined_ += terms[i];
    }
    switch (format_) {
      case OutputFormat::terms:
        buffer_ += joined_;
        break;
      case OutputFormat::tsv:
        buffer_ += id;
        buffer_ += '\t';
        buffer_ += joined_;
        break;
      case OutputFormat::jsonl:  // byte for byte what the Lucene peer's Analyze tool writes
        buffer_ += "{\"id\":";
        append_json_string(id);
        buffer_ += ",\"contents\":";
        append_json_string(joined_);
        buffer_ += '}';
        break;
    }
    buffer_ += '\n';
    if (buffer_.size() > (1u << 20)) flush();
  }

  void flush() {
    if (!buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), stdout);
    buffer_.clear();
  }

 private:
  // JSON string escaping as the peer does it: '"' and '\' escaped, control characters as \u00XX.
  void append_json_string(std::string_view s) {
    buffer_ += '"';
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        buffer_ += '\\';
        buffer_ += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        buffer_ += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
      } else {
        buffer_ += c;
      }
    }
    buffer_ += '"';
  }

  OutputFormat format_;
  std::string joined_;
  std::string buffer_;
};

InputFormat format_of(const std::string& path, const std::string& requested,
                      std::string_view first_line) {
  if (requested == "text") return InputFormat::text;
  if (requested == "tsv") return InputFormat::tsv;
  if (requested == "jsonl") return InputFormat::jsonl;
  std::string name = path;
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  if (name.ends_with(".jsonl") || name.ends_with(".json")) return InputFormat::jsonl;
  if (name.ends_with(".tsv")) return InputFormat::tsv;
  const std::size_t start = first_line.find_first_not_of(" \t");
  if (start != std::string_view::npos && first_line[start] == '{') return InputFormat::jsonl;
  if (first_line.find('\t') != std::string_view::npos) return InputFormat::tsv;
  return InputFormat::text;
}

// Analyses the lines that `next_line` yields. Blank lines are records in text input (an empty
// output line) and skipped in TSV and JSONL input, as the peer skips them.
template <typename NextLine>
void analyze_lines(const std::string& where, const std::string& requested_format,
                   NextLine&& next_line, const text::Analyzer& analyzer, Printer& printer) {
  text::RecordParser parser;
  text::TextRecord record;
  text::TermList terms;
  std::string_view line;
  std::uint64_t line_number = 0;
  bool first = true;
  InputFormat format = InputFormat::text;
  while (next_line(line)) {
    ++line_number;
    if (first) {
      format = format_of(where, requested_format, line);
      first = false;
    }
    terms.clear();
    if (format == InputFormat::text) {
      analyzer.analyze(line, terms);
      printer.record(std::to_string(line_number), terms);
      continue;
    }
    if (text::is_blank_line(line)) continue;
    try {
      if (format == InputFormat::jsonl) {
        parser.parse_json(line, record);
      } else {
        parser.parse_topic(line, record);
      }
    } catch (const Error& e) {
      fail(ErrorKind::invalid_argument, "{}:{}: {}", where, line_number, e.what());
    }
    analyzer.analyze(record.text, terms);
    printer.record(record.id, terms);
  }
}

void analyze_stdin(const AnalyzeOptions& o, const text::Analyzer& analyzer, Printer& printer) {
  std::string buffer;
  std::size_t begin = 0;
  bool eof = false;
  auto next_line = [&](std::string_view& line) {
    for (;;) {
      const std::size_t newline = buffer.find('\n', begin);
      if (newline != std::string::npos || (eof && begin < buffer.size())) {
        const std::size_t end = newline == std::string::npos ? buffer.size() : newline;
        line = std::string_view(buffer).substr(begin, end - begin);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        begin = end + 1;
        return true;
      }
      if (eof) return false;
      buffer.erase(0, begin);
      begin = 0;
      char chunk[1 << 16];
      const std::size_t got = std::fread(chunk, 1, sizeof chunk, stdin);
      if (got == 0) eof = true;
      buffer.append(chunk, got);
    }
  };
  analyze_lines("<stdin>", o.input_format, next_line, analyzer, printer);
}

int run_analyze(const AnalyzeOptions& o) {
  const text::AnalyzerConfig config = o.config_json.empty()
                                          ? text::AnalyzerConfig::preset(o.analyzer)
                                          : text::AnalyzerConfig::from_json(o.config_json);
  if (o.show_config) {
    fmt::print("{}\n", config.to_json());
    if (o.texts.empty() && o.input.empty()) return 0;
  }
  const auto analyzer = text::make_analyzer(config);
  Printer printer(o.format);
  text::TermList terms;
  for (std::size_t i = 0; i < o.texts.size(); ++i) {
    terms.clear();
    analyzer->analyze(o.texts[i], terms);
    printer.record(std::to_string(i + 1), terms);
  }
  if (!o.input.empty() && o.input != "-") {
    io::LineReader reader(o.input);
    analyze_lines(
        o.input, o.input_format, [&](std::string_view& line) { return reader.next(line); },
        *analyzer, printer);
  } else if (o.input == "-" || o.texts.empty()) {
    analyze_stdin(o, *analyzer, printer);
  }
  return 0;
}

}  // namespace

void add_analyze_command(CLI::App& app, Action& run) {
  auto options = std::make_shared<AnalyzeOptions>();
  auto* cmd = app.add_subcommand("analyze",
                                 "Print the terms an analyzer makes of text: one line of "
                                 "space-separated terms per input line or record.");
  cmd->description(
      "Print the terms an analyzer makes of text, one line of space-separated terms per input line "
      "or\n"
      "record. These are the terms that indexing and search use. The English analyzers give "
      "exactly the\n"
      "terms of Lucene 8.8 / Anserini (checked term for term on the test collections).\n\n"
      "Analyzers:\n"
      "  english         Lucene's StandardTokenizer (Unicode word breaks), possessive 's removal,\n"
      "                  lower-casing, Lucene's 33 English stop words, Porter stemming: "
      "Anserini's\n"
      "                  default analyzer (= Lucene 8's EnglishAnalyzer).\n"
      "  english-nostem  The same without stemming.\n"
      "  whitespace      Split on whitespace only, nothing else (Lucene's WhitespaceAnalyzer,\n"
      "                  Anserini's -pretokenized): for text that is already analysed.\n\n"
      "Input: --text, or --input FILE (plain or .gz; '-' or no --text/--input reads standard "
      "input):\n"
      "  text   every line is a text to analyse (a blank line gives an empty line)\n"
      "  tsv    id<TAB>text per line, as MS MARCO and Anserini topics\n"
      "  jsonl  a corpus or queries file: {\"id\"|\"_id\"|\"docid\"|\"qid\": ..., \"contents\"} or "
      "BEIR's\n"
      "         {\"_id\", \"title\", \"text\"} (title and text are joined) or {\"query\": ...}\n"
      "  auto   by the name (.jsonl/.json, .tsv), else a first line that starts with '{' is "
      "JSONL,\n"
      "         one with a tab TSV, anything else text\n"
      "Blank lines in TSV and JSONL input are skipped, as Anserini skips them.");
  cmd->footer(
      "\nExamples:\n"
      "  tandem analyze --text \"The dog's toys were running\"      # dog toi were run\n"
      "  tandem analyze --analyzer english-nostem --input queries.tsv --format tsv\n"
      "  tandem analyze --input corpus.jsonl.gz --format jsonl > corpus.analyzed.jsonl\n"
      "  echo 'Résumés, naïvely' | tandem analyze\n"
      "  tandem analyze --config '{\"preset\":\"english\",\"stopwords\":[]}' --text \"to be or not "
      "to be\"");
  auto* analyzer =
      cmd->add_option("--analyzer,-a", options->analyzer, "english, english-nostem or whitespace")
          ->check(CLI::IsMember({"english", "english-nostem", "whitespace"}))
          ->capture_default_str();
  cmd->add_option(
         "--config", options->config_json,
         "A full analyzer configuration as JSON instead of --analyzer: fields preset, tokenizer\n"
         "(standard|whitespace), possessive, lowercase, stopwords, stemmer (porter|none),\n"
         "max_token_length; fields left out come from the preset (default english)")
      ->type_name("JSON")
      ->excludes(analyzer);
  cmd->add_option("--text,-t", options->texts,
                  "Text to analyse (repeatable: one output line each)");
  cmd->add_option("--input,-i", options->input,
                  "File to analyse, plain or gzipped; '-' for standard input");
  cmd->add_option("--input-format", options->input_format, "auto, text, tsv or jsonl")
      ->check(CLI::IsMember({"auto", "text", "tsv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option(
         "--format,-f", options->format,
         "Output: terms (just the terms), tsv (id<TAB>terms) or jsonl ({\"id\",\"contents\"}, as\n"
         "Anserini's pre-analysed JsonCollection; ids of text lines are line numbers)")
      ->check(CLI::IsMember({"terms", "tsv", "jsonl"}))
      ->capture_default_str();
  cmd->add_flag("--show-config", options->show_config,
                "Print the analyzer configuration as JSON first");
  cmd->callback([&run, options] { run = [options] { return run_analyze(*options); }; });
}

}  // namespace tandem::cli
