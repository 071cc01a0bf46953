#include "tandem/multi/maxsim.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tandem/core/error.hpp"
#include "tandem/dense/kernels.hpp"

namespace tandem::multi {

float maxsim(const float* query, std::size_t nq, const float* doc, std::size_t nd,
             std::size_t dim) {
  const auto& k = dense::kernels();
  float total = 0;
  for (std::size_t i = 0; i < nq; ++i) {
    float best = -std::numeric_limits<float>::infinity();
    for (std::size_t j = 0; j < nd; ++j)
      best = std::max(best, k.dot(query + i * dim, doc + j * dim, dim));
    if (nd > 0) total += best;
  }
  return total;
}

MaxSimScorer::MaxSimScorer(const MultiVectorStore& store, std::span<const float> query,
                           std::size_t nq)
    : store_(&store), nq_(nq), query_(query.begin(), query.end()) {
  const std::size_t dim = store.dim();
  if (query.size() != nq * dim)
    fail(ErrorKind::invalid_argument, "MaxSim: {} query values for {} tokens of dimension {}",
         query.size(), nq, dim);
  suffix_norm_.assign(nq + 1, 0.0);
  for (std::size_t i = nq; i-- > 0;) {
    double s = 0;
    for (std::size_t c = 0; c < dim; ++c) s += double(query[i * dim + c]) * query[i * dim + c];
    suffix_norm_[i] = suffix_norm_[i + 1] + std::sqrt(s);
  }
  if (store.encoding() == TokenEncoding::int8) {
    const auto scales = store.scales();
    for (std::size_t i = 0; i < nq; ++i)
      for (std::size_t c = 0; c < dim; ++c) query_[i * dim + c] *= scales[c];
  }
}

float MaxSimScorer::token_max(std::size_t i, std::size_t row, std::vector<float>& scratch) const {
  const std::size_t dim = store_->dim();
  const std::size_t nd = store_->token_count(row);
  const float* q = query_.data() + i * dim;
  float best = -std::numeric_limits<float>::infinity();
  if (store_->encoding() == TokenEncoding::f32) {
    scratch.resize(nd);
    dense::kernels().dot_rows(q, store_->f32_tokens(row), nd, dim, scratch.data());
    for (std::size_t j = 0; j < nd; ++j) best = std::max(best, scratch[j]);
  } else {
    const std::int8_t* codes = store_->int8_tokens(row);
    for (std::size_t j = 0; j < nd; ++j) {
      float s = 0;
      const std::int8_t* d = codes + j * dim;
      for (std::size_t c = 0; c < dim; ++c) s += q[c] * static_cast<float>(d[c]);
      best = std::max(best, s);
    }
  }
  return best;
}

float MaxSimScorer::score(std::size_t row, std::vector<float>& scratch) const {
  if (store_->token_count(row) == 0) return 0;
  float total = 0;
  for (std::size_t i = 0; i < nq_; ++i) total += token_max(i, row, scratch);
  return total;
}

std::optional<float> MaxSimScorer::score_bounded(std::size_t row, float threshold,
                                                 std::vector<float>& scratch) const {
  if (store_->token_count(row) == 0) return 0.0f < threshold ? std::nullopt : std::optional(0.0f);
  const double norm = store_->max_norm(row);
  float total = 0;
  for (std::size_t i = 0; i < nq_; ++i) {
    // Bound of what is left: each remaining token adds at most |q_t| * max |d_j|; the margin
    // covers float rounding of the dot products and of the sum.
    const double rest = suffix_norm_[i] * norm;
    const double bound = total + rest + 1e-4 * (std::abs(total) + rest) + 1e-6;
    if (bound < threshold) return std::nullopt;
    total += token_max(i, row, scratch);
  }
  return total;
}

}  // namespace tandem::multi
