#include "analyzer_options.hpp"

#include <fstream>

#include "tandem/core/error.hpp"

namespace tandem::cli {

void AnalyzerOptions::add_to(CLI::App& cmd) {
  cmd.add_option(
         "--analyzer", preset,
         "Analysis chain: english (Anserini's default: Lucene StandardTokenizer, possessive "
         "filter, lower-casing, Lucene's 33 English stop words, Porter stemmer), english-nostem, "
         "or whitespace (pre-tokenised text: split on whitespace, nothing else)")
      ->capture_default_str();
  cmd.add_option("--stopwords", stopwords,
                 "Override the stop words: 'lucene' (the 33 English ones), 'none', or a file with "
                 "one word per line");
  cmd.add_option("--stemmer", stemmer,
                 "Override the stemmer: porter (Lucene's PorterStemmer) or none");
}

text::AnalyzerConfig AnalyzerOptions::config() const {
  text::AnalyzerConfig c = text::AnalyzerConfig::preset(preset);
  if (stopwords == "none") {
    c.stopwords.clear();
  } else if (stopwords == "lucene") {
    c.stopwords = text::AnalyzerConfig::lucene_english_stopwords();
  } else if (!stopwords.empty()) {
    std::ifstream in(stopwords);
    if (!in) fail(ErrorKind::not_found, "{}: cannot read the stop word file", stopwords);
    c.stopwords.clear();
    for (std::string word; std::getline(in, word);) {
      while (!word.empty() && (word.back() == '\r' || word.back() == ' ')) word.pop_back();
      if (!word.empty() && word[0] != '#') c.stopwords.push_back(word);
    }
  }
  if (stemmer == "porter") {
    c.stemmer = text::AnalyzerConfig::Stemmer::porter;
  } else if (stemmer == "none") {
    c.stemmer = text::AnalyzerConfig::Stemmer::none;
  } else if (!stemmer.empty()) {
    fail(ErrorKind::invalid_argument, "unknown stemmer '{}' (known: porter, none)", stemmer);
  }
  return c;
}

}  // namespace tandem::cli
