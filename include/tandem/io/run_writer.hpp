// Writes TREC run files: "qid Q0 docid rank score tag" lines.
#pragma once

#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/types.hpp"

namespace tandem::io {

/// How scores are written.
enum class RunScoreFormat {
  /// Anserini's: scores rounded to 4 decimals in float, each score tied with the previous one
  /// lowered by 1e-6 per tie (ScoreTiesAdjusterReranker), printed as Java's "%f" prints a float.
  /// trec_eval then keeps the engine's order (score desc, id asc) instead of re-breaking ties by
  /// docno descending.
  anserini,
  /// The float score as computed, in the shortest form that reads back to the same float.
  raw,
};

/// One ranked document of a run.
struct RankedDoc {
  std::string_view id;
  Score score;
};

/// Anserini's ScoreTiesAdjusterReranker on scores in rank order (float arithmetic, as in Java).
std::vector<float> anserini_adjusted_scores(std::span<const Score> scores);

/// Java's String.format("%f", (double) x): the shortest decimal digits of the double, rounded
/// half-up to 6 decimals.
std::string java_format_f6(double x);

/// Appends the run lines of one query (hits in rank order) to `out`.
void append_run_lines(std::string& out, std::string_view qid, std::span<const RankedDoc> hits,
                      std::string_view tag, RunScoreFormat format);

}  // namespace tandem::io
