// Builds an index from a corpus: read and parse JSONL lines, analyse them on several threads,
// invert in memory, write one segment, publish the manifest.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/index/manifest.hpp"
#include "tandem/index/sparse_field.hpp"
#include "tandem/sparse/approx/seismic_params.hpp"

namespace tandem::index {

struct BuildOptions {
  std::filesystem::path corpus;         // a JSONL(.gz) file or a directory of them; empty for a
                                        // dense-only index (then dense_vectors is required) or when
                                        // the sparse vector file is the corpus
  std::filesystem::path index_dir;      // created if missing
  IndexSettings settings;               // settings.dense (metric, graph, codes) with dense_vectors
  std::filesystem::path dense_vectors;  // .npy, .fvecs or JSONL vectors: adds a dense field
  std::filesystem::path dense_ids;      // ids of the vector rows, one per line (else the file's)
  unsigned threads = 0;                 // 0 = all hardware threads
  bool skip_bad = false;                // skip (and count) malformed lines and later duplicate ids
  bool overwrite = false;               // replace an existing index (atomically, at publish)
  std::size_t batch_bytes = 8 << 20;    // input read per batch of parallel work
  /// A learned-sparse vector field (docs/sparse.md). Its ids must be documents of the corpus; with
  /// an empty `corpus`, the vector file is the corpus too (its "contents", if any, is the text).
  std::optional<SparseFieldOptions> sparse;
  /// Token vectors of a multi-vector field (docs/format.md, "multivec"): JSONL {"id", "vectors"},
  /// or a .npy of all tokens with `multivec_offsets` (id<TAB>token count per document). Every id
  /// must be a document of the corpus. The encoding comes from settings.multivec (default f32).
  std::filesystem::path multivec;
  std::filesystem::path multivec_offsets;
  /// With `sparse`: also build the field's approximate index (index/sparse_approx.hpp) with these
  /// parameters (their `threads` is replaced by `threads`) and persist it in the segment.
  std::optional<sparse::approx::SeismicBuildParams> sparse_approx;
};

struct BuildReport {
  std::uint64_t documents = 0;           // indexed (including empty ones)
  std::uint64_t empty_documents = 0;     // indexed without any term
  std::uint64_t blank_lines = 0;         // whitespace-only lines, ignored
  std::uint64_t skipped_lines = 0;       // malformed lines skipped under skip_bad
  std::uint64_t skipped_duplicates = 0;  // later occurrences of an id skipped under skip_bad
  std::vector<std::string> problems;     // the first few skipped lines and duplicates, explained
  std::uint64_t input_bytes = 0;
  std::uint64_t index_bytes = 0;
  std::uint64_t postings = 0;
  std::uint64_t postings_bytes = 0;
  std::uint64_t terms = 0;
  std::uint64_t generation = 0;
  double read_seconds = 0;            // reading, parsing, analysing
  double write_seconds = 0;           // sorting, inverting, encoding, writing
  std::uint64_t sparse_postings = 0;  // postings of the sparse vector field (also in postings)
  std::uint64_t sparse_terms = 0;
  std::uint64_t multivec_docs = 0;    // documents with token vectors
  std::uint64_t multivec_tokens = 0;  // token vectors stored
  double sparse_approx_seconds = 0;   // building and writing the approximate index
  std::uint64_t sparse_approx_bytes = 0;
  std::uint64_t sparse_approx_blocks = 0;
};

/// Builds the index. On any error nothing is published: the directory keeps its previous index
/// (or none), and files already written for the new segment are removed (or, after a crash,
/// removed by the next writer). Throws Error with the file and line of a malformed line (the
/// earliest one, whatever the thread scheduling), or listing duplicate ids with their locations.
BuildReport build_index(const BuildOptions& options, ProgressSink* progress = nullptr);

/// The total size in bytes of the files of an index (manifest and the segments it names).
std::uint64_t index_size_bytes(const std::filesystem::path& index_dir);

}  // namespace tandem::index
