// The dense vector field of one segment: full-precision vectors (always), and optionally an HNSW
// graph and compressed codes built over them. Files: dense.vectors, dense.hnsw, dense.<code>.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/core/types.hpp"
#include "tandem/dense/metric.hpp"
#include "tandem/dense/vector_store.hpp"

namespace tandem::dense {

class HnswGraph;
class CodeIndex;

/// HNSW build parameters (Malkov & Yashunin 2018): M links per node on upper layers (2M on layer
/// 0), efConstruction candidates while linking.
struct HnswParams {
  std::uint32_t m = 16;
  std::uint32_t ef_construction = 200;
  std::uint64_t seed = 1;      // levels are drawn from this seed
  bool deterministic = false;  // one build thread: the same input gives a byte-identical graph
};

/// Compressed codes to build beside the vectors.
enum class CodeKind { sq8, binary, pq };
std::string_view to_string(CodeKind kind);
/// "sq8", "binary" or "pq"; throws Error(invalid_argument) otherwise.
CodeKind parse_code_kind(std::string_view name);

/// Settings of a dense field, fixed at build time and kept in the manifest.
struct DenseSettings {
  Metric metric = Metric::ip;
  std::uint32_t dim = 0;
  std::optional<HnswParams> hnsw;  // built when set
  std::vector<CodeKind> codes;
  std::uint32_t pq_m = 0;  // PQ sub-quantisers (0 = dim / 4, a divisor of dim)
  std::uint64_t code_seed = 1;
  Storage storage = Storage::f32;  // element type of dense.vectors (fp16 halves its size)
};

/// Writes the dense files of a segment. `values` holds row_doc.size() rows of settings.dim floats
/// in row order (already normalised under cosine).
void write_dense_field(const std::filesystem::path& segment_dir, const DenseSettings& settings,
                       std::span<const DocId> row_doc, std::span<const float> values,
                       unsigned threads, ProgressSink* progress);

/// The open dense field of a segment. Immutable and thread-safe.
class DenseField {
 public:
  DenseField(const std::filesystem::path& segment_dir, const DenseSettings& settings);
  ~DenseField();
  DenseField(DenseField&&) noexcept;
  DenseField& operator=(DenseField&&) noexcept;

  const VectorStore& vectors() const { return *vectors_; }
  const HnswGraph* hnsw() const { return hnsw_.get(); }
  /// The codes of a kind, or nullptr if the index was built without them.
  const CodeIndex* codes(CodeKind kind) const;
  void verify(std::uint32_t num_docs) const;

 private:
  std::unique_ptr<VectorStore> vectors_;  // on the heap: the graph and codes point to it
  std::unique_ptr<HnswGraph> hnsw_;
  std::vector<std::unique_ptr<CodeIndex>> codes_;  // indexed by CodeKind
};

namespace dense_files {
inline std::filesystem::path vectors(const std::filesystem::path& seg) {
  return seg / "dense.vectors";
}
inline std::filesystem::path hnsw(const std::filesystem::path& seg) {
  return seg / "dense.hnsw";
}
inline std::filesystem::path codes(const std::filesystem::path& seg, CodeKind kind) {
  return seg / ("dense." + std::string(to_string(kind)));
}
}  // namespace dense_files

}  // namespace tandem::dense
