// Runs the Lucene 8.8 peer (../shared/peers/lucene: Anserini's analyzer and BM25) and caches its
// outputs, so compatibility tests compare tandem with Lucene itself.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace tandem::test {

/// The Lucene peer, copied into the build directory (../shared is read-only) and compiled there.
class LucenePeer {
 public:
  /// Why the peer cannot run here (no java/javac, no Lucene jars, no ../shared), or nullopt.
  static std::optional<std::string> unavailable();

  /// Output of `Analyze -input input -output ... -analyzer analyzer` (JSONL for JSONL input, TSV
  /// for an input named *.tsv; `as_tsv` feeds a TSV file under another name through a *.tsv link).
  /// Cached under <build>/compat-cache/analyze, keyed by the input's path, size and mtime, so Java
  /// runs once per input. Throws std::runtime_error if the peer fails.
  static std::filesystem::path analyze(const std::filesystem::path& input,
                                       const std::string& analyzer, bool as_tsv);

  /// A TREC run of the peer's Bm25Search (Anserini's settings and tie handling) over `corpus` for
  /// `topics` (TSV or JSONL), `hits` per query, with the peer's index built by Bm25Index
  /// -optimize. Both are cached under <build>/compat-cache/bm25, keyed by the inputs' paths, sizes
  /// and mtimes. Throws std::runtime_error if the peer fails.
  static std::filesystem::path bm25_run(const std::filesystem::path& corpus,
                                        const std::filesystem::path& topics, int hits);

  /// A TREC run of the peer's impact search (Bm25Index -impact, one thread, -optimize; Bm25Search
  /// -impact -tiebreak none: raw float scores, ties in index order) over the sparse vectors of
  /// `corpus` for the pre-tokenised impact `topics`. Cached under <build>/compat-cache/impact like
  /// bm25_run. Throws std::runtime_error if the peer fails.
  static std::filesystem::path impact_run(const std::filesystem::path& corpus,
                                          const std::filesystem::path& topics, int hits);

  /// <build>/compat-cache: where the peer, its outputs and generated inputs live.
  static std::filesystem::path cache_dir();
};

}  // namespace tandem::test
