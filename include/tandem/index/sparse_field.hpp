// The learned-sparse vector field of a segment: impacts stored with the ordinary posting codec
// (each posting's quantised weight in the frequency slot) under the field name "vector", plus a
// small settings file saying how weights were quantised. Layout: docs/format.md, "Sparse field".
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tandem/core/progress.hpp"
#include "tandem/index/inverted_field.hpp"
#include "tandem/index/manifest.hpp"
#include "tandem/index/term_dictionary.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::index {

/// The field name of the sparse vectors in a segment's files and in the manifest.
inline constexpr std::string_view kSparseField = "vector";

/// How float weights become the integer impacts the codec stores.
enum class ImpactQuantization {
  /// integer if every weight is a whole number (kept exactly, Anserini's integer impacts), else u8.
  automatic,
  /// impact = round(weight * scale) (Anserini/Lucene -impact); scores are query weight * impact.
  integer,
  /// impact = round(weight / max_weight * 255) (or 65535): 8 or 16 bits, scale = max / 255
  /// recorded; scores are query weight * scale * impact.
  u8,
  u16,
  /// the float32 weight itself (its bit pattern, which orders like the value for weights > 0).
  float32,
};

std::string_view to_string(ImpactQuantization q);
/// auto, integer, u8, u16, float; throws Error(invalid_argument) otherwise.
ImpactQuantization parse_impact_quantization(std::string_view name);

/// What the segment's "vector.json" records: the resolved quantisation and the factor that turns
/// an impact into a weight (1 for integer and float32).
struct SparseFieldMeta {
  ImpactQuantization quantization = ImpactQuantization::integer;
  double impact_scale = 1.0;
  double ingest_scale = 1.0;
  std::string to_json() const;
  static SparseFieldMeta from_json(std::string_view json, const std::string& source);
};

struct SparseFieldOptions {
  std::filesystem::path vectors;  // JSONL(.gz) of sparse vectors, or a directory of them
  ImpactQuantization quantization = ImpactQuantization::automatic;
  double scale = 1.0;  // integer mode: the factor applied before rounding
  /// Quantise with these settings as they are (quantization and scales), instead of resolving
  /// them from the vectors: `tandem add` uses the index's settings so that an impact means the
  /// same weight in every segment (docs/live.md, "Learned-sparse field").
  std::optional<SparseFieldMeta> fixed = std::nullopt;
};

/// Reads the sparse vectors of `options.vectors`, maps their ids to DocIds through `sorted_ids`
/// (the segment's ids in DocId order), quantises and writes vector.postings, vector.terms,
/// vector.lengths (non-zeros per document) and vector.json into `segment_dir`. A document may have
/// no vector (it matches nothing); a term written twice in one vector has its weights summed;
/// weights that quantise to 0 are dropped. Throws Error(invalid_argument) naming the file and line
/// of a malformed line, a negative or non-finite weight, an id the corpus lacks or a repeated id.
SegmentFieldInfo write_sparse_field(const std::filesystem::path& segment_dir,
                                    std::span<const std::string_view> sorted_ids,
                                    const SparseFieldOptions& options, unsigned threads,
                                    ProgressSink* progress);

/// The impact a posting of a field quantised with `from` gets under `to`: the same impact when
/// the settings are equal, else the weight the impact stands for, quantised again (0 = dropped).
std::uint32_t requantize_impact(std::uint32_t impact, const SparseFieldMeta& from,
                                const SparseFieldMeta& to);

/// Writes a sparse field whose impacts are already quantised with `meta` (a merge): `inv` holds
/// the lists (term bytes ascending, impacts in the frequency slot, no zero impacts) and the
/// number of non-zeros per document in `lengths`.
SegmentFieldInfo write_sparse_impacts(const std::filesystem::path& segment_dir,
                                      const InvertedField& inv, const SparseFieldMeta& meta,
                                      unsigned threads);

/// A segment's sparse field, memory-mapped.
struct SparseFieldFiles {
  TermDictionary terms;
  io::CheckedFile postings;
  SparseFieldMeta meta;

  /// The field of the segment in `segment_dir`, or nullopt if the segment has none. Throws
  /// Error(corruption) naming a damaged file.
  static std::optional<SparseFieldFiles> open(const std::filesystem::path& segment_dir);
};

}  // namespace tandem::index
