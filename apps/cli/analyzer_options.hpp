// The analyzer options shared by the commands that build or analyse text.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "tandem/text/analyzer.hpp"

namespace tandem::cli {

struct AnalyzerOptions {
  std::string preset = "english";
  std::string stopwords;  // "", "none", "lucene" or a file with one word per line
  std::string stemmer;    // "", "porter" or "none"

  /// Registers --analyzer, --stopwords and --stemmer on `cmd`.
  void add_to(CLI::App& cmd);
  /// The configuration they describe; throws Error(invalid_argument) on bad values.
  text::AnalyzerConfig config() const;
};

}  // namespace tandem::cli
