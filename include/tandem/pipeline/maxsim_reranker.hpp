// Re-ranks a first-stage candidate list by ColBERT MaxSim over the index's multi-vector field, in
// the two-stage design of Martinico, Nardini, Rulli & Venturini, "Multivector Reranking in the
// Era of Strong First-Stage Retrievers" (2026): a cheap single-vector retriever gathers the
// candidates, MaxSim refines them, and low-quality candidates are pruned early. Three prunings,
// each off by default except the exact one:
//   bound (exact)     a candidate is abandoned once the Cauchy-Schwarz bound of its MaxSim falls
//                     strictly below the k-th best score so far (multi/maxsim.hpp): identical
//                     results, less work.
//   candidate ratio   candidates whose first-stage score is below ratio * the best first-stage
//                     score are not scored (approximate).
//   early exit        candidates are scored in first-stage order, and scoring stops after
//                     `patience` consecutive candidates failed to enter the top k (approximate).
// The two approximate prunings rely on the first stage being strong, which is the paper's point.
// Candidates without token vectors are dropped (counted in the stats).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "tandem/index/index_reader.hpp"
#include "tandem/pipeline/bm25_retriever.hpp"

namespace tandem::pipeline {

struct MaxSimOptions {
  std::size_t k = 10;            // results kept
  bool bound = true;             // exact bound pruning
  double candidate_ratio = 0.0;  // 0 = off; else in (0, 1]
  std::size_t patience = 0;      // 0 = off
};

struct MaxSimStats {
  std::size_t candidates = 0;
  std::size_t scored = 0;         // MaxSim computed to the end
  std::size_t abandoned = 0;      // stopped by the bound
  std::size_t skipped_ratio = 0;  // not scored: first-stage score under the ratio
  std::size_t skipped_exit = 0;   // not scored: after the early exit
  std::size_t missing = 0;        // no token vectors
};

/// The top options.k of `candidates` (result order of the first stage) by MaxSim against the
/// query tokens (nq * dim floats), written to `out` in result order (score descending, external id
/// ascending). Throws Error(not_found) if the index has no multi-vector field,
/// Error(invalid_argument) for a query of the wrong size.
void maxsim_rerank(const index::IndexReader& index, std::span<const float> query, std::size_t nq,
                   std::span<const IndexHit> candidates, const MaxSimOptions& options,
                   std::vector<IndexHit>& out, MaxSimStats* stats = nullptr);

}  // namespace tandem::pipeline
