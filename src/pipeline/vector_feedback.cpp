#include "tandem/pipeline/vector_feedback.hpp"

#include <algorithm>
#include <cmath>

#include "tandem/core/error.hpp"

namespace tandem::pipeline {

std::string_view to_string(VectorFeedbackKind kind) {
  return kind == VectorFeedbackKind::average ? "vector-average" : "vector-rocchio";
}

VectorFeedbackKind parse_vector_feedback_kind(std::string_view name) {
  if (name == "average" || name == "vector-average") return VectorFeedbackKind::average;
  if (name == "rocchio" || name == "vector-rocchio") return VectorFeedbackKind::rocchio;
  fail(ErrorKind::invalid_argument,
       "unknown vector feedback '{}' (known: vector-average, vector-rocchio)", name);
}

std::vector<float> vector_feedback(std::span<const float> query, std::span<const float* const> top,
                                   std::span<const float* const> bottom, std::size_t dim,
                                   const VectorFeedbackParams& params) {
  if (query.size() != dim)
    fail(ErrorKind::invalid_argument, "vector feedback: the query has {} values, the field {}",
         query.size(), dim);
  for (const float v : {params.alpha, params.beta, params.gamma}) {
    if (!std::isfinite(v))
      fail(ErrorKind::invalid_argument, "vector feedback weights must be finite");
  }
  std::vector<float> out(query.begin(), query.end());
  if (top.empty()) return out;
  // Accumulate in double; the result is stored as float like Pyserini's astype('float32').
  std::vector<double> sum_top(dim, 0.0), sum_bottom(dim, 0.0);
  for (const float* d : top)
    for (std::size_t c = 0; c < dim; ++c) sum_top[c] += d[c];
  for (const float* d : bottom)
    for (std::size_t c = 0; c < dim; ++c) sum_bottom[c] += d[c];
  const double nt = static_cast<double>(top.size());
  for (std::size_t c = 0; c < dim; ++c) {
    double v;
    if (params.kind == VectorFeedbackKind::average) {
      v = (static_cast<double>(query[c]) + sum_top[c]) / (nt + 1.0);
    } else {
      v = params.alpha * static_cast<double>(query[c]) + params.beta * sum_top[c] / nt;
      if (!bottom.empty()) v -= params.gamma * sum_bottom[c] / static_cast<double>(bottom.size());
    }
    out[c] = static_cast<float>(v);
  }
  return out;
}

const float* stored_vector(const index::IndexReader& index, const index::DocLocation& at) {
  const dense::DenseField* field = index.segments()[at.segment]->dense();
  if (field == nullptr) return nullptr;
  const auto rows = field->vectors().row_doc();
  const auto it = std::lower_bound(rows.begin(), rows.end(), at.doc);
  if (it == rows.end() || *it != at.doc) return nullptr;
  return field->vectors().row(static_cast<std::size_t>(it - rows.begin()));
}

std::vector<float> vector_feedback_query(const index::IndexReader& index,
                                         std::span<const float> query,
                                         std::span<const IndexHit> first,
                                         const VectorFeedbackParams& params) {
  std::vector<const float*> top, bottom;
  for (std::size_t i = 0; i < first.size() && top.size() < params.fb_docs; ++i) {
    if (const float* v = stored_vector(index, first[i].at)) top.push_back(v);
  }
  if (params.kind == VectorFeedbackKind::rocchio) {
    for (std::size_t i = 0; i < first.size() && bottom.size() < params.bottom_fb_docs; ++i) {
      if (const float* v = stored_vector(index, first[first.size() - 1 - i].at))
        bottom.push_back(v);
    }
  }
  return vector_feedback(query, top, bottom, query.size(), params);
}

}  // namespace tandem::pipeline
