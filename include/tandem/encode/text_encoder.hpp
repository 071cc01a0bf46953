// Encoders that turn a text into one dense vector, trained on a collection and stored as a model
// file: GloVe sentence vectors with SIF weighting (sif_model.hpp) and LSA (lsa_model.hpp).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace tandem::encode {

/// A text -> dense vector encoder. encode() is const and thread-safe.
class TextEncoder {
 public:
  virtual ~TextEncoder() = default;
  /// The model's name as stored in its file: "glove-sif" or "lsa".
  virtual std::string_view kind() const = 0;
  virtual std::size_t dims() const = 0;
  /// Writes the vector of `text` (dims() floats) to `out`, L2-normalised so that inner product is
  /// cosine similarity. A text with no known words gives the zero vector. Returns the number of
  /// terms the analyzer made of the text (for throughput figures).
  virtual std::size_t encode(std::string_view text, std::span<float> out) const = 0;
  /// The model's settings and training statistics as a JSON object (for `tandem info`-style
  /// output and the benchmark tables).
  virtual std::string describe_json() const = 0;
};

/// Opens a model file written by SifModel::save or LsaModel::save, choosing the type from the
/// file. Verifies the checksum. Throws Error(not_found), Error(corruption) (naming the file and the
/// section at fault) or Error(unsupported) for a newer model version.
std::unique_ptr<TextEncoder> load_text_encoder(const std::filesystem::path& path);

/// Scales `v` to unit L2 norm (sums in double); the zero vector stays zero.
void l2_normalize(std::span<float> v);

}  // namespace tandem::encode
