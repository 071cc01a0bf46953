// Sentence vectors from word vectors by smooth inverse frequency (SIF) weighting and common
// component removal: Arora, Liang and Ma, "A Simple but Tough-to-Beat Baseline for Sentence
// Embeddings", ICLR 2017.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/encode/text_encoder.hpp"
#include "tandem/encode/word_vectors.hpp"
#include "tandem/text/analyzer.hpp"

namespace tandem::encode {

class ModelFileReader;

struct SifOptions {
  /// The smoothing a of the weight a / (a + p(w)); the paper finds 1e-3 .. 1e-4 work best.
  double a = 1e-3;
  /// How texts become words: GloVe is lower-cased and unstemmed, so the default is Lucene's
  /// standard tokenizer + possessive removal + lower-casing, with no stop words and no stemmer
  /// (SIF's weights already discount frequent words).
  text::AnalyzerConfig analyzer = default_analyzer();
  /// The common component is computed on at most this many documents (the first ones).
  std::size_t pc_sample = 200000;
  unsigned threads = 1;

  static text::AnalyzerConfig default_analyzer();
};

/// v(s) = (1/|s|) sum_{w in s} a / (a + p(w)) v(w), then v(s) <- v(s) - u u^T v(s), where p(w) is
/// the word's relative frequency in the training collection and u the first singular vector of
/// the matrix of the collection's sentence vectors (no centring, as the paper's code). Words
/// without a vector are skipped (but counted in p); a word unseen in the collection has p = 0
/// and weight 1. Vectors are then L2-normalised (TextEncoder's contract).
class SifModel final : public TextEncoder {
 public:
  /// Estimates p(w) and u from `texts` (the collection to be indexed).
  static SifModel train(const WordVectors& vectors, std::span<const std::string> texts,
                        const SifOptions& options, ProgressSink* progress = nullptr);
  /// Writes a self-contained model file (the words, their weights and vectors, u) atomically.
  void save(const std::filesystem::path& path) const;
  static SifModel load(const std::filesystem::path& path);

  std::string_view kind() const override { return "glove-sif"; }
  std::size_t dims() const override { return dims_; }
  std::size_t encode(std::string_view text, std::span<float> out) const override;
  std::string describe_json() const override;

  /// The common component u (unit length).
  std::span<const float> common_component() const { return pc_; }
  /// The SIF weight of a word, or -1 if it has no vector.
  float weight(std::string_view word) const;

 private:
  friend std::unique_ptr<TextEncoder> load_text_encoder(const std::filesystem::path& path);
  /// Reads the sections after the metadata (`meta`, already read).
  static SifModel read(ModelFileReader& reader, std::string_view meta);
  void build_index();
  void average(const text::TermList& words, std::span<float> out) const;

  std::string meta_json_;  // options and statistics, stored in the file
  text::AnalyzerConfig analyzer_config_;
  std::unique_ptr<const text::Analyzer> analyzer_;
  std::size_t dims_ = 0;
  std::vector<std::string> words_;
  std::vector<float> weights_;
  std::vector<float> vectors_;
  std::vector<float> pc_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

}  // namespace tandem::encode
