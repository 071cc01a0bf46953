// Latent semantic analysis (Deerwester, Dumais, Furnas, Landauer and Harshman, JASIS 1990): a
// truncated SVD of the collection's TF-IDF matrix, computed by randomised SVD
// (randomized_svd.hpp), that maps a text to a dense vector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/encode/text_encoder.hpp"
#include "tandem/text/analyzer.hpp"

namespace tandem::encode {

class ModelFileReader;

struct LsaOptions {
  std::size_t dims = 256;
  /// Terms in fewer documents than this are left out of the vocabulary.
  std::uint32_t min_df = 2;
  std::size_t oversample = 10;
  unsigned power_iterations = 2;
  std::uint64_t seed = 42;
  /// Analysis of documents and queries (default: the index's English analyzer, with stemming).
  text::AnalyzerConfig analyzer;
  unsigned threads = 1;
};

/// A text's TF-IDF vector x has entries (1 + ln tf(t)) * idf(t), idf(t) = ln((1 + N) / (1 + df(t)))
/// + 1 (smoothed, as scikit-learn), scaled to unit length; its LSA vector is x V_k (= the row of
/// U_k S_k for a training document), then L2-normalised (TextEncoder's contract). V_k holds the
/// top-k right singular vectors of the documents' TF-IDF matrix. Terms outside the vocabulary are
/// ignored.
class LsaModel final : public TextEncoder {
 public:
  static LsaModel train(std::span<const std::string> texts, const LsaOptions& options,
                        ProgressSink* progress = nullptr);
  void save(const std::filesystem::path& path) const;
  static LsaModel load(const std::filesystem::path& path);

  std::string_view kind() const override { return "lsa"; }
  std::size_t dims() const override { return dims_; }
  std::size_t encode(std::string_view text, std::span<float> out) const override;
  std::string describe_json() const override { return meta_json_; }

  std::span<const float> singular_values() const { return singular_values_; }

 private:
  friend std::unique_ptr<TextEncoder> load_text_encoder(const std::filesystem::path& path);
  static LsaModel read(ModelFileReader& reader, std::string_view meta);
  void build_index();

  std::string meta_json_;
  text::AnalyzerConfig analyzer_config_;
  std::unique_ptr<const text::Analyzer> analyzer_;
  std::size_t dims_ = 0;
  std::vector<std::string> terms_;
  std::vector<float> idf_;
  std::vector<float> singular_values_;
  std::vector<float> projection_;  // terms x dims, row-major
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

}  // namespace tandem::encode
