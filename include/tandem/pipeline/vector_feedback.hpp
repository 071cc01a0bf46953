// Pseudo-relevance feedback for dense legs (Li, Zhuang, Mourad, Koopman & Zuccon, "Pseudo Relevance
// Feedback with Deep Language Models and Dense Retrievers: Successes and Pitfalls", TOIS 2023 /
// arXiv 2108.11044), as Pyserini implements it (DenseVectorAveragePrf, DenseVectorRocchioPrf):
//   average   q' = (q + d_1 + ... + d_k) / (k + 1)
//   rocchio   q' = alpha q + beta mean(d_1..d_k) - gamma mean(d_{n-b+1}..d_n)
// where d_1..d_k are the stored vectors of the top k feedback documents and d_n.. the last b of a
// first-stage list of n. The new vector is searched again on the dense field. Which list the
// feedback documents come from is the caller's choice: the dense leg's own results, or a fusion
// of dense and sparse legs ("interpolation before PRF" in Li et al., "To Interpolate or not to
// Interpolate: PRF, Dense and Sparse Retrievers", SIGIR 2022); fusing the PRF results with a sparse
// leg afterwards is "interpolation after PRF".
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "tandem/index/index_reader.hpp"
#include "tandem/pipeline/bm25_retriever.hpp"

namespace tandem::pipeline {

enum class VectorFeedbackKind { average, rocchio };
std::string_view to_string(VectorFeedbackKind kind);
/// "average" (or "vector-average") / "rocchio" (or "vector-rocchio"); throws
/// Error(invalid_argument).
VectorFeedbackKind parse_vector_feedback_kind(std::string_view name);

struct VectorFeedbackParams {
  VectorFeedbackKind kind = VectorFeedbackKind::average;
  std::size_t fb_docs = 3;         // k: top documents used (Pyserini's --prf-depth)
  float alpha = 0.9f;              // Rocchio: query weight (Pyserini's default)
  float beta = 0.1f;               // Rocchio: weight of the top documents' mean
  float gamma = 0.0f;              // Rocchio: weight of the bottom documents' mean
  std::size_t bottom_fb_docs = 0;  // b: last documents of the list used with gamma
};

/// The new query vector from the query and the feedback documents' vectors (each of `dim` floats;
/// `top` in result order, `bottom` from the last document upwards). With no top document the
/// query is returned unchanged (there is nothing to learn from). Throws Error(invalid_argument)
/// for a size mismatch or non-finite parameters.
std::vector<float> vector_feedback(std::span<const float> query, std::span<const float* const> top,
                                   std::span<const float* const> bottom, std::size_t dim,
                                   const VectorFeedbackParams& params);

/// The stored dense vector of a document, or nullptr if it has none (or the index has no dense
/// field).
const float* stored_vector(const index::IndexReader& index, const index::DocLocation& at);

/// The new query vector for a first-stage list `first` (result order): the stored vectors of its
/// top params.fb_docs (and last params.bottom_fb_docs) documents; documents without a vector are
/// skipped.
std::vector<float> vector_feedback_query(const index::IndexReader& index,
                                         std::span<const float> query,
                                         std::span<const IndexHit> first,
                                         const VectorFeedbackParams& params);

}  // namespace tandem::pipeline
